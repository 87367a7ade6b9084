package dev.gatehouse.reconcile;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How long to wait before retrying a gateway, from its consecutive failures: the initial delay doubled after
 * each further failure (1 s, 2 s, 4 s ...), never more than the cap. A success starts the count again. Not
 * thread-safe: only the reconcile worker uses it.
 */
final class Backoff {

    static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);

    private final long initialMillis;
    private final long maxMillis;
    private final Map<String, Integer> failures = new HashMap<>();

    /** A zero or negative initial delay means {@link #DEFAULT_INITIAL}. */
    Backoff(Duration initial, Duration max) {
        this.initialMillis = (initial.isZero() || initial.isNegative() ? DEFAULT_INITIAL : initial).toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The delay after {@code failures} (at least 1) consecutive failures. */
    Duration delayAfter(int failures) {
        // Doubling stops at 2^16 so the shift cannot overflow; the cap is far below that anyway.
        return Duration.ofMillis(Math.min(maxMillis, initialMillis << Math.min(Math.max(failures, 1) - 1, 16)));
    }

    /** Counts one more failure of the key and returns how long to wait before its retry. */
    Duration failed(String key) {
        return delayAfter(failures.merge(key, 1, Integer::sum));
    }

    /** Forgets the key's failures: its next failure waits the initial delay again. */
    void succeeded(String key) {
        failures.remove(key);
    }
}
