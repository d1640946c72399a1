package io.imagegate.image;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a /32 or /128. */
final class Cidr {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Parses an address or block written as a literal, or returns {@code null} for anything else (a
   * host name). Never touches DNS: IPv4 is parsed here and IPv6 only when it contains ':', which
   * {@link InetAddress} parses as a literal without a lookup.
   */
  static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    if (address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    byte[] bytes = literal(address);
    if (bytes == null) {
      return null;
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        return null;
      }
    }
    return new Cidr(bytes, prefix);
  }

  /** The block {@code a.b.c.d/prefix} or {@code hex:hex::/prefix}; for the built-in tables. */
  static Cidr of(String text) {
    Cidr cidr = parse(text);
    if (cidr == null) {
      throw new IllegalArgumentException("not a CIDR block: " + text);
    }
    return cidr;
  }

  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (address[full] & mask) == (network[full] & mask);
  }

  boolean contains(InetAddress address) { return contains(address.getAddress()); }

  private static byte[] literal(String address) {
    if (IPV4.matcher(address).matches()) {
      String[] parts = address.split("\\.");
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          return null;
        }
        bytes[i] = (byte) v;
      }
      return bytes;
    }
    if (address.indexOf(':') < 0 || address.indexOf('%') >= 0) {
      return null;
    }
    try {
      // "::ffff:a.b.c.d" comes back as IPv4, which is how resolved addresses are compared too
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
