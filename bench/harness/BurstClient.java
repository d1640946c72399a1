import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds N calls at once: N virtual threads, each opening its own plain blocking socket, sending one raw
 * HTTP/1.1 POST ({@code Connection: close}) and reading the whole answer (Content-Length or chunked), which is
 * checked for its full length. Counts complete 200s, other statuses (with the error code of their JSON) and
 * errors by kind, and the time from the first send to the last answer.
 *
 * <pre>java BurstClient.java --port P --n 2000 [--path /v1/images/generations] --body-file gen.json
 *     [--key KEY] [--content-type application/json] [--timeout-s 300]</pre>
 *
 * <p>The last line is machine-readable: {@code RESULT ok=.. total_s=.. sent_s=.. p50_s=.. p99_s=.. mb=.. other=kind:count|...}.
 */
public final class BurstClient {
  private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]{1,60})\"");
  private static final AtomicLong FIRST_SEND = new AtomicLong(Long.MAX_VALUE);
  private static final AtomicLong LAST_SEND = new AtomicLong(Long.MIN_VALUE);
  private static final AtomicLong LAST_ANSWER = new AtomicLong(Long.MIN_VALUE);
  private static final LongAdder BYTES = new LongAdder();

  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 0;
    int n = 1;
    String path = "/v1/images/generations";
    Path bodyFile = null;
    String key = "";
    int timeoutS = 300;
    String contentType = "application/json";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--host" -> host = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--n" -> n = Integer.parseInt(args[i + 1]);
        case "--path" -> path = args[i + 1];
        case "--body-file" -> bodyFile = Path.of(args[i + 1]);
        case "--key" -> key = args[i + 1];
        case "--timeout-s" -> timeoutS = Integer.parseInt(args[i + 1]);
        case "--content-type" -> contentType = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    byte[] body = bodyFile == null ? new byte[0] : Files.readAllBytes(bodyFile);
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
        + (key.isEmpty() ? "" : "Authorization: Bearer " + key + "\r\n")
        + "Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, request, head.length, body.length);

    InetSocketAddress address = new InetSocketAddress(host, port);
    Map<String, LongAdder> kinds = new ConcurrentHashMap<>();
    long[] okTimes = new long[n];
    AtomicInteger okCount = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    int timeoutMs = timeoutS * 1000;
    for (int i = 0; i < n; i++) {
      Thread.ofVirtual().start(() -> {
        long[] took = new long[1];
        String kind = call(address, request, timeoutMs, took);
        if (kind.equals("200")) okTimes[okCount.getAndIncrement()] = took[0];
        kinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
        done.countDown();
      });
    }
    boolean all = done.await(timeoutS + 120L, TimeUnit.SECONDS);
    int ok = okCount.get();
    long[] times = Arrays.copyOf(okTimes, ok);
    Arrays.sort(times);
    double total = (LAST_ANSWER.get() - FIRST_SEND.get()) / 1e9;
    double sent = (LAST_SEND.get() - FIRST_SEND.get()) / 1e9;
    Map<String, Long> others = new TreeMap<>();
    kinds.forEach((k, v) -> { if (!k.equals("200")) others.put(k, v.sum()); });
    if (!all) others.put("client gave up waiting", done.getCount());
    StringBuilder other = new StringBuilder();
    others.forEach((k, v) -> other.append(other.isEmpty() ? "" : "|").append(k.replace(' ', '_')).append(':').append(v));
    System.out.printf(Locale.ROOT, "%d calls: %d complete 200s; others %s; first send to last answer %.1f s"
        + " (all sent within %.1f s); 200s took p50 %.1f s, p99 %.1f s; %.0f MB read%n", n, ok,
        others.isEmpty() ? "none" : others, total, sent, pct(times, 50), pct(times, 99), BYTES.sum() / 1e6);
    System.out.printf(Locale.ROOT, "RESULT ok=%d total_s=%.1f sent_s=%.1f p50_s=%.1f p99_s=%.1f mb=%.0f other=%s%n", ok,
        total, sent, pct(times, 50), pct(times, 99), BYTES.sum() / 1e6, other.isEmpty() ? "none" : other);
    System.exit(0);
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) return 0;
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)] / 1e9;
  }

  private static String call(InetSocketAddress address, byte[] request, int timeoutMs, long[] took) {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(timeoutMs);
      socket.connect(address, timeoutMs);
      long sent = System.nanoTime();
      FIRST_SEND.accumulateAndGet(sent, Math::min);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      LAST_SEND.accumulateAndGet(System.nanoTime(), Math::max);
      Reader in = new Reader(socket.getInputStream());
      String statusLine = in.line();
      if (statusLine == null) return "error: closed before a status line";
      String[] parts = statusLine.split(" ", 3);
      int status = Integer.parseInt(parts[1]);
      long length = -1;
      boolean chunked = false;
      for (String line = in.line(); line != null && !line.isEmpty(); line = in.line()) {
        int colon = line.indexOf(':');
        if (colon <= 0) continue;
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        if (name.equals("content-length")) length = Long.parseLong(value);
        if (name.equals("transfer-encoding") && value.contains("chunked")) chunked = true;
      }
      Body b = new Body();
      boolean complete;
      if (chunked) {
        complete = false;
        while (true) {
          String size = in.line();
          if (size == null) break;
          int semi = size.indexOf(';');
          long chunk = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
          if (chunk == 0) {
            String trailer;
            do trailer = in.line(); while (trailer != null && !trailer.isEmpty());
            complete = trailer != null;
            break;
          }
          if (in.copy(chunk, b) < chunk || in.line() == null) break;
        }
      } else if (length >= 0) {
        complete = in.copy(length, b) == length;
      } else {
        in.copy(Long.MAX_VALUE, b);
        complete = true; // read to the end of the stream
      }
      long end = System.nanoTime();
      LAST_ANSWER.accumulateAndGet(end, Math::max);
      BYTES.add(b.bytes);
      took[0] = end - sent;
      if (status == 200) {
        if (!complete) return "200 cut short";
        if (b.first() != '{' || b.last != '}' || !b.head().contains("\"data\"")) return "200 not an images JSON";
        return "200";
      }
      Matcher m = CODE.matcher(b.head());
      return status + (m.find() ? " " + m.group(1) : "") + (complete ? "" : " cut short");
    } catch (SocketTimeoutException e) {
      return "error: read timeout";
    } catch (ConnectException e) {
      return "error: connect " + String.valueOf(e.getMessage()).replaceAll("[^A-Za-z ]", "").trim();
    } catch (IOException | RuntimeException e) {
      String m = String.valueOf(e.getMessage()).replaceAll("[0-9]+", "#");
      return "error: " + e.getClass().getSimpleName() + " " + (m.length() > 50 ? m.substring(0, 50) : m);
    }
  }

  /** What is kept of a body: its size, its first bytes (for the error code) and its last byte. */
  private static final class Body {
    final byte[] start = new byte[512];
    int startLength;
    long bytes;
    int last = -1;

    void take(byte[] buf, int off, int len) {
      if (len == 0) return;
      int keep = Math.min(len, start.length - startLength);
      System.arraycopy(buf, off, start, startLength, keep);
      startLength += keep;
      bytes += len;
      last = buf[off + len - 1];
    }

    int first() { return startLength == 0 ? -1 : start[0]; }

    String head() { return new String(start, 0, startLength, StandardCharsets.ISO_8859_1); }
  }

  private static final class Reader {
    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;

    Reader(InputStream in) { this.in = in; }

    private boolean fill() throws IOException {
      pos = 0;
      lim = Math.max(0, in.read(buf));
      return lim > 0;
    }

    String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos == lim && !fill()) return null;
        byte c = buf[pos++];
        if (c == '\n') {
          int l = sb.length();
          if (l > 0 && sb.charAt(l - 1) == '\r') sb.setLength(l - 1);
          return sb.toString();
        }
        sb.append((char) (c & 0xff));
        if (sb.length() > 65536) throw new IOException("line too long");
      }
    }

    long copy(long n, Body into) throws IOException {
      long got = 0;
      while (got < n) {
        if (pos == lim && !fill()) break;
        int take = (int) Math.min(n - got, lim - pos);
        into.take(buf, pos, take);
        pos += take;
        got += take;
      }
      return got;
    }
  }
}
