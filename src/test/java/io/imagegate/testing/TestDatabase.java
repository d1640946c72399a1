package io.imagegate.testing;

import java.nio.file.Path;

/** The two stores the gateway runs on, for tests that must pass on both: a SQLite file, or real PostgreSQL. */
public enum TestDatabase {
  SQLITE {
    @Override
    public String newUrl(Path tmp) { return "jdbc:sqlite:" + tmp.resolve("test.db"); }
  },
  POSTGRES {
    @Override
    public String newUrl(Path tmp) { return TestPostgres.get().newDatabase(); }
  };

  /** A URL to a new, empty database ({@code tmp}: the test's own temp folder, for SQLite's file). */
  public abstract String newUrl(Path tmp);
}
