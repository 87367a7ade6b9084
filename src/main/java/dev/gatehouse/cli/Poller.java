package dev.gatehouse.cli;

import java.time.Duration;
import java.util.Locale;

/** Polls quickly at first (most applies take milliseconds), then as the server's Retry-After asks. */
final class Poller {

    private final long started = System.nanoTime();
    private final long deadline;
    private final Duration timeout;
    private long delayMillis = 50;

    Poller(Duration timeout) {
        this.timeout = timeout;
        this.deadline = started + timeout.toNanos();
    }

    Duration timeout() {
        return timeout;
    }

    /** Time since the poller was made, as {@code 1.2 s}. */
    String elapsed() {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - started) / 1e9);
    }

    /** Sleeps before the next poll; false when the deadline has passed. */
    boolean sleep(String retryAfter) {
        long max = 1000;
        if (retryAfter != null && retryAfter.matches("\\d{1,4}")) {
            max = Math.max(50, Long.parseLong(retryAfter) * 1000);
        }
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
            return false;
        }
        try {
            Thread.sleep(Math.min(Math.min(delayMillis, max), remaining));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        delayMillis = Math.min(delayMillis * 2, max);
        return true;
    }
}
