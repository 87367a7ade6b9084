package dev.gatehouse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The idle timeout's decision ({@link IdleTimeout.Clock}), at the times a timer would fire: what counts as traffic
 * (docs/decisions.md (j), (az)). Times are seconds on a clock that starts at an arbitrary, here negative, value, as
 * {@link System#nanoTime()} may.
 */
class IdleTimeoutTests {

    private static final long S = 1_000_000_000L;
    private static final long T = 20 * S;
    private static final long START = Long.MIN_VALUE / 2;

    private static long at(double seconds) {
        return START + (long) (seconds * S);
    }

    @Test
    void aConnectionWithoutTrafficIsIdleOneTimeoutAfterTheRelayStarted() {
        IdleTimeout.Clock clock = new IdleTimeout.Clock(T, START);

        assertThat(clock.check(at(19.9), START, 0)).isPositive();
        assertThat(clock.check(at(20), START, 0)).isNotPositive();
    }

    @Test
    void aByteReadEitherWayStartsTheTimeoutAgain() {
        IdleTimeout.Clock clock = new IdleTimeout.Clock(T, START);

        long left = clock.check(at(20), at(15), 0);

        assertThat(left).isEqualTo(15 * S);
        assertThat(clock.check(at(35), at(15), 0)).isNotPositive();
    }

    @Test
    void aSlowReaderThatDrainsWhatWasReadBeforeTheLastCheckIsKept() {
        IdleTimeout.Clock clock = new IdleTimeout.Clock(T, START);
        // A read at 1 s, then a check at 20 s with 64 KiB waiting for the client; at 39 s 60 KiB wait: it drained.
        assertThat(clock.check(at(20), at(1), 65_536)).isPositive();

        assertThat(clock.check(at(39), at(1), 61_440)).isEqualTo(T);
    }

    @Test
    void bytesReadAfterTheLastCheckCountAsDrainingUntilTheNextCheckCanTell() {
        IdleTimeout.Clock clock = new IdleTimeout.Clock(T, START);
        // A check at 0.5 s saw nothing pending; 64 KiB arrive for the client at 1 s; the check the timer had set for
        // 20.5 s cannot compare them with an earlier sample, so it gives the reader a whole timeout to show progress.
        assertThat(clock.check(at(0.5), START, 0)).isPositive();

        assertThat(clock.check(at(20.5), at(1), 65_536)).isEqualTo(T);
        // It drained meanwhile: kept again.
        assertThat(clock.check(at(40.5), at(1), 40_000)).isEqualTo(T);
    }

    @Test
    void aReaderThatStopsIsIdleWithinTwoTimeoutsOfTheLastByteMoved() {
        IdleTimeout.Clock clock = new IdleTimeout.Clock(T, START);
        assertThat(clock.check(at(0.5), START, 0)).isPositive();
        assertThat(clock.check(at(20.5), at(1), 65_536)).isEqualTo(T);

        long left = clock.check(at(40.5), at(1), 65_536);

        assertThat(left).isNotPositive();
    }
}
