package dev.gatehouse.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle timeout of one relayed connection: closes both sides once {@code timeout} has passed without traffic
 * in either direction (docs/decisions.md (j) and (az)). Traffic is
 * <ul>
 * <li>a byte read from the client or from the backend: the relay's own counters, whose time
 * {@link ConnectionStats#reportRelayed} keeps once per read loop; and</li>
 * <li>bytes already read that drain to either side meanwhile (a slow reader catching up, whose reading side
 * backpressure has paused): seen at a check, as a smaller total of the two channels' pending writes, or as
 * bytes pending that were read since the check before ({@link Clock}).</li>
 * </ul>
 * The clock starts when the relay starts, so a backend connect in progress is never idle.
 * <p>One timer per connection, nothing per write and one clock read per read loop that moved bytes: when the
 * timer fires it looks at the time of the last traffic and either closes both sides or schedules itself for the
 * time left. Netty's {@code IdleStateHandler}, which this replaces, turned every write to the client into a new
 * promise with a listener and read the clock on each read loop and each completed write (measured:
 * docs/benchmarks.md, Levers).
 * <p>Threading: made, run and cancelled on the connection's event loop; plain fields suffice.
 */
final class IdleTimeout implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(IdleTimeout.class);

    private final Channel client;
    private final Channel backend;
    private final ConnectionStats stats;
    private final Clock clock;

    private ScheduledFuture<?> timer;

    /**
     * Starts the clock: the relay starts now ({@code startedNanos}, {@link System#nanoTime()}'s time).
     *
     * @return the running timeout; {@link #cancel()} it when the connection closes
     */
    static IdleTimeout start(
            Channel client, Channel backend, ConnectionStats stats, long timeoutNanos, long startedNanos) {
        IdleTimeout idle = new IdleTimeout(client, backend, stats, new Clock(timeoutNanos, startedNanos));
        if (stats.relayedNanos - startedNanos < 0) {
            stats.relayedNanos = startedNanos;
        }
        // A client already closed (a failed flush closed both sides in this call) ran its close listener, which
        // cancels this timer, before the timer existed: no timer then, or it would hold both channels a timeout long.
        if (client.isOpen()) {
            idle.schedule(timeoutNanos);
        }
        return idle;
    }

    private IdleTimeout(Channel client, Channel backend, ConnectionStats stats, Clock clock) {
        this.client = client;
        this.backend = backend;
        this.stats = stats;
        this.clock = clock;
    }

    private void schedule(long delayNanos) {
        timer = client.eventLoop().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the timer; the connection closed. Idempotent. */
    void cancel() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            timer = null;
            t.cancel(false);
        }
    }

    @Override
    public void run() {
        if (timer == null || !client.isActive()) {
            return; // cancelled, or closing: its close listener cancels
        }
        long left = clock.check(System.nanoTime(), stats.relayedNanos, pending(client) + pending(backend));
        if (left > 0) {
            schedule(left);
            return;
        }
        timer = null;
        log.debug("Closing idle connection {} <-> {}", client.remoteAddress(), backend.remoteAddress());
        client.close();
        backend.close();
    }

    private static long pending(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /**
     * The decision, apart from channels and timers: arithmetic on {@link System#nanoTime()} values, compared by
     * difference. Drained bytes are seen only at checks, as fewer pending bytes than the check before; bytes pending
     * that were read after the check before (its sample predates them) may have been draining since they were read,
     * which no sample shows yet, so they count as traffic at this check: a reader that drains, however slowly, is
     * never closed, and one that stops is closed between one and two timeouts after the last byte moved.
     */
    static final class Clock {

        private final long timeoutNanos;
        /** When a check last counted draining as traffic; the relay's start at first. */
        private long drainedNanos;
        /** When the last check was, and both channels' pending write bytes then. */
        private long checkedNanos;

        private long pendingAtLastCheck;

        Clock(long timeoutNanos, long startedNanos) {
            this.timeoutNanos = timeoutNanos;
            this.drainedNanos = startedNanos;
            this.checkedNanos = startedNanos;
        }

        /**
         * One check at {@code now}, the last read loop that moved bytes at {@code relayedNanos}, {@code pending}
         * bytes waiting to be written to either side.
         *
         * @return nanoseconds until the connection is idle: above 0, check again then; otherwise it is idle now
         */
        long check(long now, long relayedNanos, long pending) {
            boolean sampleBeforeLastRead = checkedNanos - relayedNanos < 0;
            if (pending < pendingAtLastCheck || (pending > 0 && sampleBeforeLastRead)) {
                drainedNanos = now;
            }
            pendingAtLastCheck = pending;
            checkedNanos = now;
            long lastTraffic = relayedNanos - drainedNanos > 0 ? relayedNanos : drainedNanos;
            return timeoutNanos - (now - lastTraffic);
        }
    }
}
