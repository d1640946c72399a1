package io.imagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ApiException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  @Test
  void enter_pastTheBodyBytes_isRefusedAndGivesItsPlaceBack() {
    Admission admission = new Admission(10, 1000);
    Admission.Ticket big = admission.enter(800);
    assertThatThrownBy(() -> admission.enter(300)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.code()).isEqualTo("gateway_overloaded");
      assertThat(e.headers()).containsEntry("Retry-After", "1");
    });
    assertThat(admission.inFlight()).isEqualTo(1);
    big.close();
    big.close(); // twice is once
    assertThat(admission.inFlight()).isZero();
    admission.enter(1000).close();
  }

  @Test
  void hold_bodyWithoutLengthPastTheBytes_isRefused() {
    Admission admission = new Admission(10, 1000);
    Admission.Ticket t = admission.enter(-1);
    t.hold(900);
    assertThatThrownBy(() -> admission.enter(200)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> t.hold(200)).isInstanceOf(ApiException.class);
    t.close();
    admission.enter(1000).close();
  }

  @Test
  void drain_refusesNewCallsAndWaitsForThoseInFlight() throws Exception {
    Admission admission = new Admission(10, 1000);
    Admission.Ticket running = admission.enter(0);
    Thread closer = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException ignored) {
        // closes anyway
      }
      running.close();
    });
    assertThat(admission.drain(Duration.ofSeconds(5))).isTrue();
    closer.join();
    assertThatThrownBy(() -> admission.enter(0)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo("shutting_down"));
    assertThat(new Admission(1, 1).drain(Duration.ZERO)).isTrue();
    Admission stuck = new Admission(1, 1);
    stuck.enter(0);
    assertThat(stuck.drain(Duration.ofMillis(100))).as("the grace period ends the wait").isFalse();
  }

  @Test
  void defaultCalls_followTheOpenFileLimit() {
    assertThat(Admission.defaultCalls(20_000)).isEqualTo(9_744);
    assertThat(Admission.defaultCalls(256)).isEqualTo(64);
    assertThat(Admission.defaultCalls(-1)).isEqualTo(10_000);
  }
}
