package io.imagegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  @Test
  void jdbcUrls_passThrough() {
    assertThat(DatabaseUrl.toJdbc("jdbc:sqlite:/tmp/x.db")).isEqualTo("jdbc:sqlite:/tmp/x.db");
    assertThat(DatabaseUrl.toJdbc(" jdbc:postgresql://db:5432/gw?user=a ")).isEqualTo("jdbc:postgresql://db:5432/gw?user=a");
  }

  @Test
  void postgresUri_becomesJdbc_withDecodedCredentialsAsParameters() {
    assertThat(DatabaseUrl.toJdbc("postgres://gate:p%40ss%3Aword@db.internal:6543/images?sslmode=require"))
        .isEqualTo("jdbc:postgresql://db.internal:6543/images?user=gate&password=p%40ss%3Aword&sslmode=require");
    assertThat(DatabaseUrl.toJdbc("postgresql://localhost/imagegate"))
        .isEqualTo("jdbc:postgresql://localhost/imagegate");
    assertThat(DatabaseUrl.toJdbc("postgres://u@127.0.0.1")).isEqualTo("jdbc:postgresql://127.0.0.1/postgres?user=u");
  }

  @Test
  void isPostgres() {
    assertThat(DatabaseUrl.isPostgres(DatabaseUrl.toJdbc("postgres://h/db"))).isTrue();
    assertThat(DatabaseUrl.isPostgres("jdbc:sqlite:x.db")).isFalse();
  }

  @Test
  void otherUrls_refused_withoutEchoingSecrets() {
    assertThatThrownBy(() -> DatabaseUrl.toJdbc("mysql://root:hunter2@db/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IMAGEGATE_DATABASE_URL must be postgres://")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> DatabaseUrl.toJdbc("postgres:///nohost")).hasMessageContaining("names no host");
    assertThatThrownBy(() -> DatabaseUrl.toJdbc("  ")).hasMessageContaining("empty");
  }

  @Test
  void describe_namesTheStore_withoutCredentials() {
    assertThat(DatabaseUrl.describe(DatabaseUrl.toJdbc("postgres://gate:hunter2@db:5432/images?sslmode=require")))
        .isEqualTo("PostgreSQL db:5432/images");
    assertThat(DatabaseUrl.describe("jdbc:sqlite:/var/lib/imagegate/imagegate.db"))
        .isEqualTo("SQLite /var/lib/imagegate/imagegate.db");
  }

  @Test
  void open_unreachablePostgres_isAClearErrorWithoutThePassword() {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String url = "postgres://gate:hunter2@127.0.0.1:" + port + "/images";
    assertThatThrownBy(() -> Database.open(url)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot open the store (PostgreSQL 127.0.0.1:" + port + "/images): ")
        .hasMessageNotContaining("hunter2");
  }
}
