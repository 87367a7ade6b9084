package dev.gatehouse.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTests {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Backoff.MAX);

    @Test
    void theDelayDoublesFromOneSecondAfterEachFailureUpToThirtySeconds() {
        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delayAfter(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.delayAfter(6)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theDelayStaysAtTheCapHoweverManyFailuresFollow() {
        assertThat(backoff.delayAfter(17)).isEqualTo(Backoff.MAX);
        assertThat(backoff.delayAfter(64)).isEqualTo(Backoff.MAX);
        assertThat(backoff.delayAfter(Integer.MAX_VALUE)).isEqualTo(Backoff.MAX);
    }

    @Test
    void consecutiveFailuresOfAKeyLengthenItsDelay() {
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void failuresAreCountedPerKey() {
        backoff.failed("a");
        backoff.failed("a");

        assertThat(backoff.failed("b")).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aSuccessStartsTheKeysDelayFromTheInitialOneAgain() {
        backoff.failed("a");
        backoff.failed("a");

        backoff.succeeded("a");

        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theInitialDelayIsConfigurableAndAZeroOrNegativeOneMeansOneSecond() {
        assertThat(new Backoff(Duration.ofMillis(50), Backoff.MAX).delayAfter(3))
                .isEqualTo(Duration.ofMillis(200));
        assertThat(new Backoff(Duration.ZERO, Backoff.MAX).delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(new Backoff(Duration.ofSeconds(-5), Backoff.MAX).delayAfter(2))
                .isEqualTo(Duration.ofSeconds(2));
    }
}
