package io.imagegate.image;

import io.imagegate.api.ApiException;
import io.imagegate.http.Http1Client;
import io.imagegate.http.MalformedAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches an image URL without becoming a proxy into the gateway's own network (SSRF): http and
 * https only; internal host names and non-public addresses (loopback, private, link-local and
 * cloud metadata, CGNAT, multicast, unspecified, and their IPv4-in-IPv6 forms) are refused unless
 * allow-listed in {@link ImageLimits#allowedPrivateHosts()}. The check applies to the addresses the
 * name resolves to, and the connection goes to a checked address (no DNS rebinding in between).
 * Redirects are followed by hand, each hop checked again; size and total time are capped.
 * Messages name the host or address, never the path or query, which may carry secrets.
 */
public final class GuardedUrlFetcher {
  private final ImageLimits limits;
  private final AddressPolicy policy;
  private final Http1Client http;

  public GuardedUrlFetcher(ImageLimits limits) {
    this(limits, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** With the given TLS trust, for tests against a local HTTPS server. */
  GuardedUrlFetcher(ImageLimits limits, SSLSocketFactory tls) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.policy = new AddressPolicy(limits.allowedPrivateHosts());
    this.http = new Http1Client(limits.fetchTimeout(), Duration.ZERO, tls);
  }

  /**
   * The body of a 2xx answer to GET {@code uri}, after at most {@code maxRedirects} redirects.
   *
   * @param param the request field named in errors
   * @throws ApiException {@code invalid_image} when the URL is refused, unreachable, slow, over
   *     the size limit or answers anything but 2xx
   */
  public byte[] fetch(URI uri, String param) {
    Deadline deadline = Deadline.after(limits.fetchTimeout());
    URI current = uri;
    for (int redirects = 0; ; redirects++) {
      List<InetAddress> addresses = check(current, deadline, param);
      Fetched answer = get(current, addresses, deadline, param);
      int status = answer.status();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        if (redirects >= limits.maxRedirects()) {
          throw ApiException.invalidImage(param, "The image URL redirected more than "
              + limits.maxRedirects() + " times; send the final URL of the image.");
        }
        current = follow(current, answer.location(), param);
        continue;
      }
      if (status < 200 || status > 299) {
        throw ApiException.invalidImage(param, "The image URL answered HTTP " + status
            + "; it must answer 200 with png, jpeg or webp bytes.");
      }
      return answer.body();
    }
  }

  /** The addresses {@code uri} may be fetched from, or the refusal. */
  private List<InetAddress> check(URI uri, Deadline deadline, String param) {
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null) {
      throw ApiException.invalidImage(param, "The image URL must be an absolute http or https URL.");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw ApiException.invalidImage(param, "The image URL scheme '" + scheme + "' is not "
          + "supported; use an http or https URL, or send the image as base64.");
    }
    String host = bareHost(uri);
    if (host == null || host.isEmpty() || uri.getPort() == 0) {
      throw ApiException.invalidImage(param, "The image URL has no valid host; send an absolute "
          + "http or https URL.");
    }
    if (policy.nameAllowed(host)) {
      return resolve(host, deadline, param); // the operator vouches for this name
    }
    if (AddressPolicy.isInternalName(host)) {
      throw ApiException.invalidImage(param, "The image URL host '" + host + "' is an internal "
          + "name, which this gateway does not fetch.");
    }
    List<InetAddress> addresses = resolve(host, deadline, param);
    for (InetAddress address : addresses) {
      if (!policy.addressAllowed(address)) {
        throw ApiException.invalidImage(param, "The image URL host resolves to a private or "
            + "loopback address (" + AddressPolicy.describe(address) + "), which this gateway "
            + "does not fetch.");
      }
    }
    return addresses;
  }

  /** The host without IPv6 brackets, or null. */
  static String bareHost(URI uri) {
    String host = uri.getHost();
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      return host.substring(1, host.length() - 1);
    }
    return host;
  }

  /** DNS on a virtual thread, so that a slow resolver counts against the deadline too. */
  private List<InetAddress> resolve(String host, Deadline deadline, String param) {
    FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> InetAddress.getAllByName(host));
    Thread.ofVirtual().name("image-url-dns").start(lookup);
    try {
      InetAddress[] found = lookup.get(deadline.remainingMillis(), TimeUnit.MILLISECONDS);
      if (found.length > 0) {
        return List.of(found);
      }
    } catch (ExecutionException e) {
      // UnknownHostException, or a resolver failure: either way the name is not usable
    } catch (TimeoutException | SocketTimeoutException e) {
      lookup.cancel(true);
      throw timedOut(param);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw timedOut(param);
    }
    throw ApiException.invalidImage(param, "The image URL host '" + host + "' could not be resolved.");
  }

  /** An answer: for redirects and errors only status and Location, the body only for 2xx. */
  private record Fetched(int status, String location, byte[] body) {}

  /** The body is, or says it will be, over the byte limit. */
  private static final class TooLarge extends IOException {
    TooLarge() { super("body over the limit"); }
  }

  /** Tries the checked addresses in order; the first that connects answers. */
  private Fetched get(URI uri, List<InetAddress> addresses, Deadline deadline, String param) {
    IOException last = null;
    for (InetAddress address : addresses) {
      try {
        return fetchFrom(uri, address, deadline);
      } catch (ConnectException | NoRouteToHostException e) {
        last = e; // another address of the same host may be reachable
      } catch (IOException e) {
        last = e;
        break;
      }
    }
    throw failure(last, bareHost(uri), param);
  }

  /** One GET to a checked address, on a connection of its own, the body read within the byte limit. */
  private Fetched fetchFrom(URI uri, InetAddress address, Deadline deadline) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri).GET()
        .header("Accept", "image/png, image/jpeg, image/webp, */*;q=0.1")
        .header("Accept-Encoding", "identity").build();
    Http1Client.Response answer = http.sendTo(request, address, deadline.endNanos());
    try (InputStream body = answer.body()) {
      int status = answer.statusCode();
      if (status < 200 || status > 299) return new Fetched(status, answer.headers().firstValue("location").orElse(null), null);
      long max = limits.maxBytes();
      if (answer.headers().firstValueAsLong("content-length").orElse(-1) > max) throw new TooLarge();
      byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (bytes.length > max) throw new TooLarge();
      return new Fetched(status, null, bytes);
    }
  }

  private ApiException failure(IOException e, String host, String param) {
    if (e instanceof SocketTimeoutException) {
      return timedOut(param);
    }
    if (e instanceof TooLarge) {
      return ApiException.invalidImage(param, "The image at the URL is larger than the limit of "
          + limits.maxBytes() + " bytes; send a smaller file.");
    }
    if (e instanceof SSLException) {
      return ApiException.invalidImage(param, "TLS with the image URL host '" + host + "' failed: "
          + "its certificate is not trusted or not valid for that name.");
    }
    if (e instanceof MalformedAnswer) {
      return ApiException.invalidImage(param, "The image URL host '" + host + "' did not answer "
          + "with valid HTTP.");
    }
    return ApiException.invalidImage(param, "Could not fetch the image from host '" + host
        + "': the connection failed.");
  }

  private ApiException timedOut(String param) {
    Duration t = limits.fetchTimeout();
    String amount = t.toMillis() % 1000 == 0 ? t.toSeconds() + " s" : t.toMillis() + " ms";
    return ApiException.invalidImage(param, "The image URL did not deliver the image within "
        + amount + ".");
  }

  private static URI follow(URI from, String location, String param) {
    if (location == null || location.isBlank()) {
      throw ApiException.invalidImage(param, "The image URL redirected without a Location.");
    }
    try {
      // URI.resolve mishandles a base with an empty path ("http://h" + "x" gives "http://hx")
      URI base = from.getRawPath() == null || from.getRawPath().isEmpty() ? from.resolve("/") : from;
      return base.resolve(new URI(location.trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw ApiException.invalidImage(param, "The image URL redirected to a malformed URL.");
    }
  }
}
