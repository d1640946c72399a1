import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake OpenAI images upstream that is never the bottleneck: raw HTTP/1.1 on a blocking NIO channel per
 * connection (one virtual thread each), the answer prebuilt once in a direct buffer and written from it with
 * no copy in user space. {@code POST /v1/images/generations} and {@code POST /v1/images/edits} get the same
 * 200 answer (an OpenAI images JSON whose b64_json is the PNG given), after {@code --delay-ms} when set;
 * {@code GET /__stats} says how many were answered; anything else is a 404. Request bodies (Content-Length
 * or chunked) are read to their end and dropped; keep-alive unless the request says {@code Connection: close}.
 *
 * <pre>java FastUpstream.java --png answer.png [--port 0] [--port-file F] [--delay-ms 30000] [--sendfile true]</pre>
 */
public final class FastUpstream {
  private static final AtomicLong ANSWERED = new AtomicLong();
  private static final AtomicLong OPEN = new AtomicLong();
  private static ByteBuffer answer;
  private static long delayMs;
  private static FileChannel answerFile;
  private static long answerSize;

  public static void main(String[] args) throws Exception {
    int port = 0;
    Path png = null;
    Path portFile = null;
    boolean sendfile = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--png" -> png = Path.of(args[i + 1]);
        case "--port-file" -> portFile = Path.of(args[i + 1]);
        case "--delay-ms" -> delayMs = Long.parseLong(args[i + 1]);
        case "--sendfile" -> sendfile = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (png == null) throw new IllegalArgumentException("--png FILE is required");
    byte[] image = Files.readAllBytes(png);
    String json = "{\"created\":1700000000,\"data\":[{\"b64_json\":\"" + Base64.getEncoder().encodeToString(image)
        + "\"}],\"background\":\"opaque\",\"output_format\":\"png\",\"quality\":\"high\",\"size\":\"1024x1024\","
        + "\"usage\":{\"input_tokens\":12,\"output_tokens\":4160,\"total_tokens\":4172,"
        + "\"input_tokens_details\":{\"text_tokens\":12,\"image_tokens\":0},"
        + "\"output_tokens_details\":{\"image_tokens\":4160,\"text_tokens\":0}}}";
    answer = prebuilt(200, "OK", json);
    answerSize = answer.remaining();
    if (sendfile) {
      // the answer from a file in memory (tmpfs when there is one) goes out by sendfile: the kernel sends the
      // page-cache pages, no copy from this process at all
      Path shm = Path.of("/dev/shm");
      Path file = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempFile(shm, "fast-upstream", ".http")
          : Files.createTempFile("fast-upstream", ".http");
      try (FileChannel w = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ByteBuffer copy = answer.duplicate();
        while (copy.hasRemaining()) w.write(copy);
      }
      answerFile = FileChannel.open(file, StandardOpenOption.READ);
      Files.deleteIfExists(file); // open channels keep it; nothing is left behind when this process ends
    }

    ServerSocketChannel server = ServerSocketChannel.open();
    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 65535);
    int bound = ((InetSocketAddress) server.getLocalAddress()).getPort();
    if (portFile != null) {
      Path tmp = Path.of(portFile + ".tmp");
      Files.writeString(tmp, bound + "\n");
      Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    }
    System.out.printf("fast upstream on 127.0.0.1:%d, answer %d bytes (PNG %d bytes), delay %d ms, %s%n", bound,
        answerSize, image.length, delayMs, sendfile ? "sendfile" : "direct buffer");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("answered " + ANSWERED.get())));
    while (true) {
      SocketChannel channel = server.accept();
      Thread.ofVirtual().start(() -> serve(channel));
    }
  }

  private static ByteBuffer prebuilt(int status, String reason, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocateDirect(head.length + body.length);
    b.put(head).put(body).flip();
    return b.asReadOnlyBuffer();
  }

  private static void serve(SocketChannel channel) {
    OPEN.incrementAndGet();
    try (channel) {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Conn c = new Conn(channel);
      while (true) {
        String head = c.readHead();
        if (head == null) return;
        int lineEnd = head.indexOf("\r\n");
        String[] requestLine = (lineEnd < 0 ? head : head.substring(0, lineEnd)).split(" ");
        String method = requestLine[0];
        String path = requestLine.length > 1 ? requestLine[1] : "";
        int q = path.indexOf('?');
        if (q >= 0) path = path.substring(0, q);
        long length = 0;
        boolean chunked = false;
        boolean close = head.startsWith("HTTP/1.0", Math.max(0, lineEnd - 8));
        boolean expect = false;
        for (String line : head.substring(lineEnd < 0 ? head.length() : lineEnd + 2).split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon <= 0) continue;
          String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
          switch (name) {
            case "content-length" -> length = Long.parseLong(value);
            case "transfer-encoding" -> chunked = value.contains("chunked");
            case "connection" -> close = value.contains("close") || (close && !value.contains("keep-alive"));
            case "expect" -> expect = value.contains("100-continue");
            default -> { }
          }
        }
        if (expect) c.write(ByteBuffer.wrap("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        if (chunked) c.skipChunked(); else c.skip(length);
        ByteBuffer out;
        if (method.equals("POST") && (path.equals("/v1/images/generations") || path.equals("/v1/images/edits"))) {
          if (delayMs > 0) Thread.sleep(delayMs);
          out = answerFile != null ? null : answer.duplicate();
          ANSWERED.incrementAndGet();
        } else if (method.equals("GET") && path.equals("/__stats")) {
          out = prebuilt(200, "OK", "{\"answered\":" + ANSWERED.get() + ",\"open\":" + OPEN.get() + "}");
        } else {
          out = prebuilt(404, "Not Found", "{\"error\":{\"message\":\"no route " + method + " " + path.replace("\"", "")
              + "\",\"type\":\"invalid_request_error\",\"code\":\"not_found\"}}");
        }
        if (out == null) c.send(answerFile, answerSize); else c.write(out);
        if (close) return;
      }
    } catch (IOException | InterruptedException | RuntimeException dropped) {
      // the client left or sent garbage: drop the connection
    } finally {
      OPEN.decrementAndGet();
    }
  }

  /** A connection's read side: unread bytes are position..limit of {@code buf}. */
  private static final class Conn {
    private final SocketChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);

    Conn(SocketChannel ch) {
      this.ch = ch;
      buf.flip();
    }

    private boolean fill() throws IOException {
      buf.compact();
      try {
        if (!buf.hasRemaining()) throw new IOException("request head too long");
        return ch.read(buf) >= 0;
      } finally {
        buf.flip();
      }
    }

    /** The head up to (not with) the blank line, or null on a clean end of stream. */
    String readHead() throws IOException {
      int from = buf.position();
      while (true) {
        for (int i = from; i + 3 < buf.limit(); i++) {
          if (buf.get(i) == '\r' && buf.get(i + 1) == '\n' && buf.get(i + 2) == '\r' && buf.get(i + 3) == '\n') {
            byte[] head = new byte[i - buf.position()];
            buf.get(head);
            buf.position(buf.position() + 4);
            return new String(head, StandardCharsets.ISO_8859_1);
          }
        }
        from = Math.max(buf.position(), buf.limit() - 3);
        int before = buf.position();
        if (!fill()) {
          if (buf.remaining() == 0) return null;
          throw new IOException("end of stream inside a request head");
        }
        from -= before - buf.position(); // compact moved the data
      }
    }

    void skip(long n) throws IOException {
      while (n > 0) {
        if (!buf.hasRemaining() && !fill()) throw new IOException("end of stream inside a body");
        int take = (int) Math.min(n, buf.remaining());
        buf.position(buf.position() + take);
        n -= take;
      }
    }

    private String readLine() throws IOException {
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (!buf.hasRemaining() && !fill()) throw new IOException("end of stream inside a chunked body");
        byte b = buf.get();
        if (b == '\n') return sb.toString().trim();
        sb.append((char) b);
        if (sb.length() > 8192) throw new IOException("chunk line too long");
      }
    }

    void skipChunked() throws IOException {
      while (true) {
        String line = readLine();
        int semi = line.indexOf(';');
        long size = Long.parseLong(semi >= 0 ? line.substring(0, semi).trim() : line, 16);
        if (size == 0) {
          while (!readLine().isEmpty()) { } // trailers, then the blank line
          return;
        }
        skip(size);
        readLine(); // the CRLF after the chunk
      }
    }

    void send(FileChannel file, long size) throws IOException {
      long at = 0;
      while (at < size) at += file.transferTo(at, size - at, ch);
    }

    void write(ByteBuffer out) throws IOException {
      while (out.hasRemaining()) ch.write(out);
    }
  }
}
