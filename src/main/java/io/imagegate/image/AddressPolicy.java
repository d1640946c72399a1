package io.imagegate.image;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which hosts and addresses the fetcher may connect to: public unicast only, unless the operator
 * allow-listed the host name, the address or a block containing it.
 */
final class AddressPolicy {
  /** Loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved, documentation. */
  private static final List<Cidr> NON_PUBLIC_V4 = cidrs("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10",
      "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
      "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
      "224.0.0.0/4", "240.0.0.0/4");
  /** Unspecified, loopback, ULA, link- and site-local, multicast, NAT64 local use, Teredo, docs. */
  private static final List<Cidr> NON_PUBLIC_V6 = cidrs("::/128", "::1/128", "fc00::/7", "fe80::/10",
      "fec0::/10", "ff00::/8", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32");
  private static final Cidr COMPATIBLE = Cidr.of("::/96");
  private static final Cidr NAT64 = Cidr.of("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.of("2002::/16");
  private static final Set<String> INTERNAL_NAMES = Set.of("localhost", "metadata", "instance-data");
  private static final List<String> INTERNAL_SUFFIXES = List.of(".localhost", ".internal", ".local");

  private final Set<String> allowedNames = new HashSet<>();
  private final List<Cidr> allowedBlocks = new ArrayList<>();

  AddressPolicy(List<String> allowedPrivateHosts) {
    for (String entry : allowedPrivateHosts) {
      Cidr block = Cidr.parse(entry);
      if (block != null) {
        allowedBlocks.add(block);
      } else if (!entry.isBlank()) {
        allowedNames.add(normalize(entry));
      }
    }
  }

  /** Whether the operator allow-listed this host name, which then may resolve anywhere. */
  boolean nameAllowed(String host) { return allowedNames.contains(normalize(host)); }

  /** Whether {@code address} may be connected to when its host name is not allow-listed. */
  boolean addressAllowed(InetAddress address) {
    for (Cidr block : allowedBlocks) {
      if (block.contains(address)) {
        return true;
      }
    }
    return !isNonPublic(address.getAddress());
  }

  /** Names that only mean something inside a network: refused before any DNS lookup. */
  static boolean isInternalName(String host) {
    String name = normalize(host);
    return INTERNAL_NAMES.contains(name) || INTERNAL_SUFFIXES.stream().anyMatch(name::endsWith);
  }

  static boolean isNonPublic(byte[] a) {
    if (a.length == 4) {
      return NON_PUBLIC_V4.stream().anyMatch(c -> c.contains(a));
    }
    if (isMapped(a) || NAT64.contains(a) || COMPATIBLE.contains(a)) {
      // an IPv4 address in IPv6 clothing reaches the IPv4 address: judge that one (this also
      // covers :: and ::1, which land in 0.0.0.0/8)
      return isNonPublic(new byte[] {a[12], a[13], a[14], a[15]});
    }
    if (SIX_TO_FOUR.contains(a)) {
      return isNonPublic(new byte[] {a[2], a[3], a[4], a[5]});
    }
    return NON_PUBLIC_V6.stream().anyMatch(c -> c.contains(a));
  }

  /**
   * ::ffff:a.b.c.d, tested by hand: written as a literal, {@link java.net.InetAddress} turns it into
   * plain IPv4, so it cannot be a {@link Cidr} constant.
   */
  private static boolean isMapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
  }

  static String describe(InetAddress address) {
    return address instanceof Inet4Address ? address.getHostAddress()
        : address.getHostAddress().replaceAll("%.*$", "");
  }

  private static String normalize(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static List<Cidr> cidrs(String... blocks) {
    return java.util.Arrays.stream(blocks).map(Cidr::of).toList();
  }
}
