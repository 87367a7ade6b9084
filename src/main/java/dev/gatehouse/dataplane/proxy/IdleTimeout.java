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
 * backpressure has paused): seen at a check, as a smaller total of the two channels' pending writes.</li>
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
    private final long timeoutNanos;
    /** When a check last saw bytes drain that were read before; 0: never. */
    private long drainedNanos;
    /** Both channels' pending write bytes at the last check. */
    private long pendingAtLastCheck;

    private ScheduledFuture<?> timer;

    /**
     * Starts the clock: the relay starts now ({@code startedNanos}, {@link System#nanoTime()}'s time).
     *
     * @return the running timeout; {@link #cancel()} it when the connection closes
     */
    static IdleTimeout start(
            Channel client, Channel backend, ConnectionStats stats, long timeoutNanos, long startedNanos) {
        IdleTimeout idle = new IdleTimeout(client, backend, stats, timeoutNanos);
        stats.relayedNanos = Math.max(stats.relayedNanos, startedNanos);
        idle.schedule(timeoutNanos);
        return idle;
    }

    private IdleTimeout(Channel client, Channel backend, ConnectionStats stats, long timeoutNanos) {
        this.client = client;
        this.backend = backend;
        this.stats = stats;
        this.timeoutNanos = timeoutNanos;
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
        long now = System.nanoTime();
        long pending = pending(client) + pending(backend);
        if (pending < pendingAtLastCheck) {
            drainedNanos = now;
        }
        pendingAtLastCheck = pending;
        long left = timeoutNanos - (now - Math.max(stats.relayedNanos, drainedNanos));
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
}
