package dev.gatehouse.dataplane.proxy;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring per-connection problem (a backend refusing, a verification failure) at most once per
 * interval per key, with the number of occurrences suppressed since the last line. Keeps a broken backend
 * from flooding the log at thousands of lines per second. Thread-safe.
 */
final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    RateLimitedLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    private static final class Window {
        final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }

    void warn(String key, String message) {
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long now = System.nanoTime();
        long last = w.last.get();
        if (last != Long.MIN_VALUE && now - last < intervalNanos || !w.last.compareAndSet(last, now)) {
            w.suppressed.incrementAndGet();
            return;
        }
        long suppressed = w.suppressed.getAndSet(0);
        log.warn(suppressed == 0 ? message : message + " (" + suppressed + " similar suppressed)");
    }
}
