package dev.gatehouse.security;

import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per caller: {@code burst} requests at once, then {@code rate} per second. */
final class RateLimiter {

    private final int burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(int burst) {
        this.burst = Math.max(1, burst);
    }

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }
    }

    /** Takes one request; 0 when allowed, else the seconds (at least 1) until one is. A rate of 0 is unlimited. */
    long acquire(String caller, double rate) {
        if (rate <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        Bucket b = buckets.computeIfAbsent(caller, c -> new Bucket(burst, now));
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.last) / 1e9 * rate);
            b.last = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / rate));
        }
    }
}
