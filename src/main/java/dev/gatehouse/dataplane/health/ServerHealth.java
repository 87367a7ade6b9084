package dev.gatehouse.dataplane.health;

import dev.gatehouse.dataplane.HealthState;
import dev.gatehouse.dataplane.ServerHealthReport;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.time.Instant;

/**
 * The probed health of one server for one (pool, settings) pair. Written by its prober on an event loop,
 * read by every event loop choosing a server: {@link #state} is volatile; the details are guarded by
 * {@code this}.
 */
public final class ServerHealth {

    private final String pool;
    private final String settings;
    private final String address;
    private final String server;
    private volatile HealthState state = HealthState.Unknown;
    private volatile boolean draining;
    /** The drain timeout of the route that last used this server. */
    private volatile Duration drainTimeout = Duration.ZERO;
    /** Open proxied connections (their client channels) to this server, for draining it. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private int consecutiveFailures;
    private Instant lastProbeAt;
    private Instant lastSuccessAt;
    private Instant lastFailureAt;
    private String lastFailureReason;
    private String probe;
    /** When a probe last changed {@link #state}; {@code null} while it is still Unknown. */
    private Instant stateSince;

    ServerHealth(String pool, String settings, String address, String server) {
        this.pool = pool;
        this.settings = settings;
        this.address = address;
        this.server = server;
    }

    /** Whether new connections may go here: anything but Unhealthy. */
    public boolean routable() {
        return state != HealthState.Unhealthy;
    }

    public HealthState state() {
        return draining ? HealthState.Draining : state;
    }

    /** Counts a proxied connection to this server until it closes. */
    public void track(Channel client) {
        connections.add(client);
    }

    ChannelGroup connections() {
        return connections;
    }

    void drainTimeout(Duration timeout) {
        this.drainTimeout = timeout;
    }

    Duration drainTimeout() {
        return drainTimeout;
    }

    void startDraining() {
        draining = true;
    }

    /**
     * One probe result. A success makes the server Healthy at once; failures make it Unhealthy when
     * {@code threshold} of them follow each other. A server that never answered stays Unknown until then.
     */
    synchronized void record(String probeName, boolean success, String reason, Instant at, int threshold) {
        probe = probeName;
        lastProbeAt = at;
        HealthState before = state;
        if (success) {
            consecutiveFailures = 0;
            lastSuccessAt = at;
            state = HealthState.Healthy;
        } else {
            consecutiveFailures++;
            lastFailureAt = at;
            lastFailureReason = reason;
            if (consecutiveFailures >= threshold) {
                state = HealthState.Unhealthy;
            }
        }
        if (state != before) {
            stateSince = at;
        }
    }

    synchronized ServerHealthReport report() {
        return new ServerHealthReport(
                pool,
                settings,
                address,
                server,
                probe,
                state(),
                consecutiveFailures,
                lastProbeAt,
                lastSuccessAt,
                lastFailureAt,
                lastFailureReason,
                stateSince);
    }
}
