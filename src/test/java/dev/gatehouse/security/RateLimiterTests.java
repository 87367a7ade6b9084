package dev.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTests {

    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(2, now::get);

    @Test
    void aCallerGetsItsBurstThenWaitsForTheRate() {
        assertThat(limiter.acquire("a", 1)).isZero();
        assertThat(limiter.acquire("a", 1)).isZero();
        assertThat(limiter.acquire("a", 1)).isEqualTo(1);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(limiter.acquire("a", 1)).isZero();
    }

    @Test
    void callersWhoseBucketsRefilledAreForgottenSoMemoryDoesNotGrowWithDistinctCallers() {
        for (int i = 0; i < 100_000; i++) {
            limiter.acquire("caller-" + i, 10);
            if (i % 1000 == 999) {
                now.addAndGet(TimeUnit.SECONDS.toNanos(1)); // every earlier caller has refilled by now
            }
        }
        assertThat(limiter.callers()).isLessThanOrEqualTo(1000 + RateLimiter.SWEEP_EVERY);
    }

    @Test
    void aCallerStillLimitedIsNotForgotten() {
        limiter.acquire("busy", 0.001);
        limiter.acquire("busy", 0.001);
        for (int i = 0; i < RateLimiter.SWEEP_EVERY; i++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            limiter.acquire("other-" + i, 1000);
        }
        assertThat(limiter.acquire("busy", 0.001)).isPositive();
    }
}
