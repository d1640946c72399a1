package io.imagegate.usage;

import java.util.List;

/**
 * Which ledger rows {@code GET /admin/requests} lists; a null part does not filter.
 *
 * @param minStatus lowest status, inclusive (with {@code maxStatus}: one code, or a class such as 400–499)
 * @param maxStatus highest status, inclusive
 * @param outcomes only rows with one of these outcomes (an error type's pairs); empty matches nothing
 */
public record RequestFilter(String keyId, String model, Integer minStatus, Integer maxStatus,
    List<UsageOutcome> outcomes) {
  public RequestFilter {
    if ((minStatus == null) != (maxStatus == null)) throw new IllegalArgumentException("give both status bounds or neither");
    outcomes = outcomes == null ? null : List.copyOf(outcomes);
  }

  public static RequestFilter none() { return new RequestFilter(null, null, null, null, null); }
}
