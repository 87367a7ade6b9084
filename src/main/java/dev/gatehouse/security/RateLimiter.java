package dev.gatehouse.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller: {@code burst} requests at once, then {@code rate} per second. A bucket that has
 * refilled completely says no more than a missing one, so such buckets are forgotten (every
 * {@value #SWEEP_EVERY} acquisitions): memory follows the callers active within about {@code burst / rate}
 * seconds, not every caller ever seen. Thread-safe.
 */
final class RateLimiter {

    static final int SWEEP_EVERY = 1024;

    private final int burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong acquisitions = new AtomicLong();

    RateLimiter(int burst) {
        this(burst, System::nanoTime);
    }

    RateLimiter(int burst, LongSupplier nanoTime) {
        this.burst = Math.max(1, burst);
        this.nanoTime = nanoTime;
    }

    private static final class Bucket {
        double tokens;
        long last;
        double rate;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        /** Called holding the bucket's lock. */
        boolean fullAt(long now, int burst) {
            return tokens + (now - last) / 1e9 * rate >= burst;
        }
    }

    /** Takes one request; 0 when allowed, else the seconds (at least 1) until one is. A rate of 0 is unlimited. */
    long acquire(String caller, double rate) {
        if (rate <= 0) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        if (acquisitions.incrementAndGet() % SWEEP_EVERY == 0) {
            forgetFull(now);
        }
        Bucket b = buckets.computeIfAbsent(caller, c -> new Bucket(burst, now));
        synchronized (b) {
            b.rate = rate;
            b.tokens = Math.min(burst, b.tokens + (now - b.last) / 1e9 * rate);
            b.last = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / rate));
        }
    }

    /**
     * Forgets the buckets that have refilled. A caller that took its bucket just before it was forgotten spends a
     * token of the forgotten one: at worst one request more than the rate allows, never one less.
     */
    private void forgetFull(long now) {
        buckets.values().removeIf(b -> {
            synchronized (b) {
                return b.fullAt(now, burst);
            }
        });
    }

    /** How many callers have a bucket now. */
    int callers() {
        return buckets.size();
    }
}
