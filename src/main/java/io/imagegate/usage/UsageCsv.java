package io.imagegate.usage;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.List;

/**
 * Ledger rows as CSV (RFC 4180): a header line, then one line per row, CRLF line ends; a field holding a
 * comma, quote, CR or LF is quoted, quotes doubled. Client-controlled text that a spreadsheet would run as
 * a formula (starting with {@code = + - @}, tab or CR) gets a leading {@code '} (OWASP CSV injection).
 */
public final class UsageCsv {
  static final String HEADER = "at,request_id,key_id,model,deployment,provider,endpoint,size,quality,n,images,"
      + "text_in_tokens,image_in_tokens,image_out_tokens,cost_usd,status,error_code,latency_ms,user,prompt";

  private UsageCsv() {}

  public static void write(List<LedgerEntry> rows, Writer out) throws IOException {
    out.write(HEADER);
    out.write("\r\n");
    StringBuilder line = new StringBuilder(256);
    for (LedgerEntry e : rows) {
      line.setLength(0);
      line.append(e.at()).append(',');
      text(line, e.requestId()).append(',');
      text(line, e.keyId()).append(',');
      text(line, e.modelAsked()).append(',');
      text(line, e.deployment()).append(',');
      text(line, e.provider()).append(',');
      text(line, e.endpoint()).append(',');
      text(line, e.size()).append(',');
      text(line, e.quality()).append(',');
      line.append(e.nAsked()).append(',').append(e.imagesReturned()).append(',')
          .append(e.textInTokens()).append(',').append(e.imageInTokens()).append(',').append(e.imageOutTokens()).append(',')
          .append(BigDecimal.valueOf(e.costUsd()).stripTrailingZeros().toPlainString()).append(',')
          .append(e.status()).append(',');
      text(line, e.errorCode()).append(',');
      line.append(e.latencyMillis()).append(',');
      text(line, e.user()).append(',');
      text(line, e.prompt());
      line.append("\r\n");
      out.append(line);
    }
    out.flush();
  }

  static StringBuilder text(StringBuilder line, String value) {
    if (value == null || value.isEmpty()) return line;
    String v = value;
    char first = v.charAt(0);
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') v = "'" + v;
    boolean quote = false;
    for (int i = 0; i < v.length() && !quote; i++) {
      char c = v.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote) return line.append(v);
    return line.append('"').append(v.replace("\"", "\"\"")).append('"');
  }
}
