package dev.gatehouse.runtime;

import dev.gatehouse.dataplane.ConnectionObserver;
import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.DataPlaneSettings;
import dev.gatehouse.dataplane.proxy.NettyDataPlane;
import dev.gatehouse.observability.AccessLog;
import dev.gatehouse.observability.ConnectionMetrics;
import dev.gatehouse.observability.DataPlaneMeters;
import dev.gatehouse.observability.PoolMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process's one data plane with the meters it reports to. It may start before the application context (to
 * serve the last applied listeners while the database and the API come up), so its meters are registered on a
 * registry of its own, which the application's registry joins once it exists ({@link #reportTo}): meters registered
 * before then appear in it with their live values (open connections, bytes), while counts of events before then
 * (failures) are not carried over.
 */
public final class ProcessDataPlane implements AutoCloseable {

    private final DataPlaneSettings settings;
    private final NettyDataPlane dataPlane;
    private final ConnectionMetrics connections;
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProcessDataPlane(DataPlaneConfiguration.Properties p) {
        this.settings = p.settings();
        this.connections = new ConnectionMetrics(meters);
        PoolMeters pools = new PoolMeters(meters);
        ConnectionObserver observer = connections.andThen(pools);
        NettyDataPlane netty = new NettyDataPlane(
                settings, DataPlaneMeters.probes(meters), p.accessLog() ? observer.andThen(new AccessLog()) : observer);
        pools.measure(netty);
        DataPlaneMeters.servers(meters, netty);
        DataPlaneMeters.transport(meters, netty.transportName());
        this.dataPlane = netty;
    }

    /** Starts the event loops of a data plane configured by {@code gatehouse.dataplane.*}; it serves nothing yet. */
    public static ProcessDataPlane start(DataPlaneConfiguration.Properties properties) {
        return new ProcessDataPlane(properties);
    }

    public DataPlaneSettings settings() {
        return settings;
    }

    public DataPlane dataPlane() {
        return dataPlane;
    }

    /** Chooses the TLS provider in the background ({@link NettyDataPlane#prepareTls}). */
    public void prepareTls() {
        dataPlane.prepareTls();
    }

    public ConnectionMetrics connections() {
        return connections;
    }

    /** From now on the data plane's meters are also in {@code registry} (the application's). */
    void reportTo(MeterRegistry registry) {
        meters.add(registry);
    }

    /** Stops the data plane as {@link DataPlane#close()} does; only the first call does anything. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            dataPlane.close();
        }
    }
}
