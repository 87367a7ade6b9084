package dev.gatehouse.arm;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * The log of one periodic task that uses the database (a poll, a heartbeat): while the database is away
 * ({@link DatabaseOutages}) it says so once at WARN, then only at DEBUG, and once at INFO when the task works
 * again, instead of a WARN per run. Other failures are logged at WARN every time. Thread-safe.
 */
public final class OutageLog {

    private final Logger log;
    private final String task;
    private final AtomicBoolean away = new AtomicBoolean();

    /** {@code task} names what failed, as the start of a sentence ("Polling for changes"). */
    public OutageLog(Logger log, String task) {
        this.log = log;
        this.task = task;
    }

    public void failed(RuntimeException e) {
        if (!DatabaseOutages.isOutage(e)) {
            log.warn("{} failed: {}", task, e.toString());
        } else if (away.compareAndSet(false, true)) {
            log.warn(
                    "{} failed: the database is unavailable; retrying quietly until it is back ({})",
                    task,
                    e.toString());
        } else {
            log.debug("{} failed: the database is still unavailable ({})", task, e.toString());
        }
    }

    public void succeeded() {
        if (away.compareAndSet(true, false)) {
            log.info("{} works again: the database is back", task);
        }
    }

    /** Whether the last run failed because the database was unavailable. */
    public boolean databaseAway() {
        return away.get();
    }
}
