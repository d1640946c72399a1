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
}
