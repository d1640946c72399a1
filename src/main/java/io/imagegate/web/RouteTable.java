package io.imagegate.web;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which methods each route path takes, so that a wrong method is a 405 with {@code Allow} and {@code OPTIONS}
 * can say what a path allows. Templates are the router's: {@code /admin/keys/{id}} matches one segment in
 * place of {@code {id}}, and a last {@code <path>} the rest of the path.
 */
final class RouteTable {
  private final Map<String, Set<String>> methods = new LinkedHashMap<>();

  void add(String method, String template) {
    methods.computeIfAbsent(template, t -> new LinkedHashSet<>()).add(method);
  }

  /** The methods of the path's route, in the order they were added, plus OPTIONS; empty when no route matches. */
  Set<String> allowed(String path) {
    Set<String> out = new LinkedHashSet<>();
    for (Map.Entry<String, Set<String>> e : methods.entrySet()) {
      if (matches(e.getKey(), path)) out.addAll(e.getValue());
    }
    if (!out.isEmpty()) out.add("OPTIONS");
    return out;
  }

  /** The template of the path's route ({@code /admin/keys/{id}}), or null when no route matches. */
  String template(String path) {
    for (String template : methods.keySet()) if (matches(template, path)) return template;
    return null;
  }

  private static boolean matches(String template, String path) {
    String[] t = template.split("/", -1);
    String[] p = path.split("/", -1);
    // a last segment <name> takes the rest of the path, slashes and all
    boolean rest = t[t.length - 1].startsWith("<") && t[t.length - 1].endsWith(">");
    if (rest) {
      if (p.length < t.length || p[t.length - 1].isEmpty()) return false;
      for (int i = 0; i < t.length - 1; i++) if (!t[i].equals(p[i])) return false;
      return true;
    }
    if (t.length != p.length) return false;
    for (int i = 0; i < t.length; i++) {
      boolean param = t[i].startsWith("{") && t[i].endsWith("}");
      if (param ? p[i].isEmpty() : !t[i].equals(p[i])) return false;
    }
    return true;
  }
}
