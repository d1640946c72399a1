package io.imagegate.config;

/**
 * A configuration problem that stops the start. The message is what the operator sees and names where the
 * problem is: {@code imagegate.yaml line 12: deployments.openai-main.timeouts.answer_seconds: expected a
 * positive number, got "abc"}. Messages never carry secret values (API keys, the master key).
 */
public final class ConfigException extends RuntimeException {
  private final String source;
  private final int line;
  private final String path;

  /** A problem with no place in a file (an environment variable, a missing file). */
  public ConfigException(String message) {
    super(message);
    this.source = null;
    this.line = 0;
    this.path = null;
  }

  /**
   * A problem at a place in a file.
   *
   * @param source the file as the operator named it
   * @param line 1-based line number
   * @param path dotted field path ({@code deployments.x.timeouts.answer_seconds}), or empty for the whole file
   * @param problem what is wrong, without the place
   */
  public ConfigException(String source, int line, String path, String problem) {
    super(source + " line " + line + ": " + (path == null || path.isEmpty() ? "" : path + ": ") + problem);
    this.source = source;
    this.line = line;
    this.path = path;
  }

  /** The file the problem is in, or null when it is not in a file. */
  public String source() { return source; }

  /** The 1-based line of the problem, or 0 when it is not in a file. */
  public int line() { return line; }

  /** The dotted field path of the problem, or null when it is not in a file. */
  public String path() { return path; }
}
