package io.imagegate.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML document token by token into {@link YamlNode}s that remember their line and field path, and
 * substitutes {@code ${ENV}} references in string values on the way. Jackson's tree model forgets locations,
 * hence the stream.
 */
final class YamlReader {
  private static final YAMLFactory FACTORY = new YAMLFactory();

  private final String source;
  private final EnvExpander env;
  private JsonParser parser;

  private YamlReader(String source, EnvExpander env) {
    this.source = source;
    this.env = env;
  }

  /**
   * Reads one YAML document whose top is a mapping; an empty document reads as an empty mapping.
   *
   * @param source the file name that error messages start with
   * @throws ConfigException for invalid YAML, duplicate keys, a missing environment variable, or a top that is
   *     not a mapping
   */
  static YamlNode.Mapping read(Reader reader, String source, Map<String, String> environment) throws IOException {
    YamlReader r = new YamlReader(source, new EnvExpander(environment));
    try (JsonParser p = FACTORY.createParser(reader)) {
      r.parser = p;
      JsonToken first = p.nextToken();
      if (first == null) return new YamlNode.Mapping(1, "", Map.of());
      YamlNode root = r.value(1, "");
      if (!(root instanceof YamlNode.Mapping mapping)) {
        throw new ConfigException(source, root.line(), "", "expected a mapping of keys (server:, deployments:,"
            + " routes:, ...) at the top, got " + root.describe());
      }
      if (p.nextToken() != null) {
        throw new ConfigException(source, r.line(), "", "expected one YAML document, found another");
      }
      return mapping;
    } catch (JsonProcessingException e) {
      int at = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
      String why = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().strip();
      int nl = why.indexOf('\n');
      // SnakeYAML appends a multi-line excerpt of the file; the line number already says where
      throw new ConfigException(source, at, "", "not valid YAML: " + (nl < 0 ? why : why.substring(0, nl)));
    }
  }

  /** The node starting at the current token; {@code keyLine} is the line of the key holding it. */
  private YamlNode value(int keyLine, String path) throws IOException {
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> mapping(keyLine, path);
      case START_ARRAY -> sequence(keyLine, path);
      case VALUE_NULL -> new YamlNode.Scalar(keyLine, path, null, null);
      default -> scalar(path, token);
    };
  }

  private YamlNode.Mapping mapping(int line, String path) throws IOException {
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
      String key = parser.currentName();
      int keyLine = line();
      String childPath = YamlNode.child(path, key);
      if (entries.containsKey(key)) {
        throw new ConfigException(source, keyLine, childPath, "duplicate key (first on line "
            + entries.get(key).keyLine() + ")");
      }
      parser.nextToken();
      entries.put(key, new YamlNode.Entry(key, keyLine, value(keyLine, childPath)));
    }
    return new YamlNode.Mapping(line, path, entries);
  }

  private YamlNode.Sequence sequence(int line, String path) throws IOException {
    List<YamlNode> items = new ArrayList<>();
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      items.add(value(line(), path + "[" + items.size() + "]"));
    }
    return new YamlNode.Sequence(line, path, items);
  }

  private YamlNode.Scalar scalar(String path, JsonToken token) throws IOException {
    int line = line();
    String raw = parser.getText();
    // only strings can hold ${...}; numbers and booleans are taken as written
    String value = token == JsonToken.VALUE_STRING
        ? env.expand(raw, problem -> new ConfigException(source, line, path, problem)) : raw;
    return new YamlNode.Scalar(line, path, value, raw);
  }

  private int line() { return Math.max(1, parser.currentTokenLocation().getLineNr()); }
}
