package io.imagegate.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET to an address the caller already checked. java.net.http resolves host names
 * itself, so between its lookup and a check a rebinding DNS server could swap in 127.0.0.1; here
 * the socket connects to the checked {@link InetAddress} while TLS still verifies the host name.
 */
final class HttpGet {
  /** The answer: for redirects and errors only status and Location, the body only for 2xx. */
  record Response(int status, String location, byte[] body) {}

  /** The server's answer is not HTTP/1.x as this client understands it. */
  static final class BadResponse extends IOException {
    BadResponse(String message) { super(message); }
  }

  /** The body is, or says it will be, over the byte limit. */
  static final class TooLarge extends IOException {
    TooLarge() { super("body over the limit"); }
  }

  private final SSLSocketFactory tls;

  HttpGet(SSLSocketFactory tls) { this.tls = tls; }

  Response get(URI uri, InetAddress address, Deadline deadline, long maxBytes) throws IOException {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    String host = GuardedUrlFetcher.bareHost(uri);
    try (Socket socket = open(address, host, port, https, deadline)) {
      OutputStream out = socket.getOutputStream();
      out.write(request(uri, host, port, https).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = new BufferedInputStream(deadline.input(socket), 16 * 1024);
      return read(in, maxBytes);
    }
  }

  private Socket open(InetAddress address, String host, int port, boolean https, Deadline deadline)
      throws IOException {
    // NO_PROXY: a configured SOCKS proxy would do its own resolution and undo the address check
    Socket raw = new Socket(Proxy.NO_PROXY);
    try {
      raw.connect(new InetSocketAddress(address, port), deadline.remainingMillis());
      if (!https) {
        return raw;
      }
      // the host name (not the address) gives SNI and the name the certificate must match
      SSLSocket ssl = (SSLSocket) tls.createSocket(raw, host, port, true);
      SSLParameters params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      ssl.setSSLParameters(params);
      ssl.setSoTimeout(deadline.remainingMillis());
      ssl.startHandshake();
      return ssl;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static String request(URI uri, String host, int port, boolean https) throws BadResponse {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    String hostHeader = (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
        + (port == (https ? 443 : 80) ? "" : ":" + port);
    if (!HttpWire.isPrintable(target) || !HttpWire.isPrintable(hostHeader)) {
      throw new BadResponse("request line would not be valid HTTP");
    }
    return "GET " + target + " HTTP/1.1\r\n"
        + "Host: " + hostHeader + "\r\n"
        + "User-Agent: imagegate\r\n"
        + "Accept: image/png, image/jpeg, image/webp, */*;q=0.1\r\n"
        + "Accept-Encoding: identity\r\n"
        + "Connection: close\r\n\r\n";
  }

  private static Response read(InputStream in, long maxBytes) throws IOException {
    HttpWire.Head head = HttpWire.readHead(in);
    // interim answers (100 Continue, 103 Early Hints) precede the real one
    while (head.status() >= 100 && head.status() < 200 && head.status() != 101) {
      head = HttpWire.readHead(in);
    }
    if (head.status() < 200 || head.status() > 299) {
      return new Response(head.status(), head.header("location"), null);
    }
    byte[] body;
    String encoding = head.header("transfer-encoding");
    if (encoding != null) {
      if (!encoding.toLowerCase(java.util.Locale.ROOT).trim().endsWith("chunked")) {
        throw new BadResponse("unsupported transfer encoding");
      }
      body = HttpWire.readChunked(in, maxBytes);
    } else if (head.header("content-length") != null) {
      body = HttpWire.readLength(in, head.contentLength(), maxBytes);
    } else {
      body = HttpWire.readToEnd(in, maxBytes);
    }
    return new Response(head.status(), null, body);
  }
}
