package dev.gatehouse.observability;

import dev.gatehouse.dataplane.ConnectionObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns the data plane's connection events into Micrometer meters, per gateway and listener (the access log is
 * {@link AccessLog}). It also keeps each listener's live counters (open connections, bytes relayed so far),
 * which {@link #traffic()} reads for the
 * dashboard and which are the meters {@code gatehouse.listener.connections.active} and
 * {@code gatehouse.listener.bytes}.
 */
public final class ConnectionMetrics implements ConnectionObserver {

    private final MeterRegistry registry;
    private final AtomicLong active = new AtomicLong();
    /**
     * The meters of each (gateway, listener), registered once: looking them up in the registry on every
     * connection built tags, ids and five registry lookups per connection (measured in bench/, "allocation
     * per new connection"). Entries live as long as the registry keeps their meters.
     */
    private final Map<ListenerKey, ListenerMeters> meters = new ConcurrentHashMap<>();

    private record ListenerKey(String gatewayKey, String listener) {}

    /**
     * One listener's meters and live counters. The live counters are written on event loops (lock-free adders)
     * and read by meter scrapes and the dashboard.
     */
    private record ListenerMeters(
            ListenerKey key,
            LongAdder accepted,
            DistributionSummary bytesIn,
            DistributionSummary bytesOut,
            Timer duration,
            Timer connect,
            AtomicLong active,
            LongAdder relayedIn,
            LongAdder relayedOut)
            implements RelayCounter {

        @Override
        public void relayed(boolean fromClient, long bytes) {
            (fromClient ? relayedIn : relayedOut).add(bytes);
        }

        ListenerTraffic traffic() {
            return new ListenerTraffic(
                    key.gatewayKey(), key.listener(), accepted.sum(), active.get(), relayedIn.sum(), relayedOut.sum());
        }
    }

    public ConnectionMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("gatehouse.connections.active", active);
    }

    private ListenerMeters meters(String gatewayKey, String listener) {
        ListenerKey key = new ListenerKey(gatewayKey, listener);
        ListenerMeters m = meters.get(key);
        return m != null ? m : meters.computeIfAbsent(key, this::register);
    }

    private ListenerMeters register(ListenerKey key) {
        Tags tags = Tags.of("gateway", key.gatewayKey(), "listener", key.listener());
        LongAdder accepted = new LongAdder();
        AtomicLong active = new AtomicLong();
        LongAdder relayedIn = new LongAdder();
        LongAdder relayedOut = new LongAdder();
        Gauge.builder("gatehouse.listener.connections.active", active, AtomicLong::get)
                .description("Open connections of the listener")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("gatehouse.listener.bytes", relayedIn, LongAdder::sum)
                .baseUnit("bytes")
                .description("Bytes relayed by the listener's connections, counted as they pass")
                .tags(tags.and("direction", "in"))
                .register(registry);
        FunctionCounter.builder("gatehouse.listener.bytes", relayedOut, LongAdder::sum)
                .baseUnit("bytes")
                .description("Bytes relayed by the listener's connections, counted as they pass")
                .tags(tags.and("direction", "out"))
                .register(registry);
        FunctionCounter.builder("gatehouse.connections", accepted, LongAdder::sum)
                .description("Connections accepted")
                .tags(tags)
                .register(registry);
        return new ListenerMeters(
                key,
                accepted,
                DistributionSummary.builder("gatehouse.connection.bytes")
                        .baseUnit("bytes")
                        .description("Bytes relayed per connection")
                        .tags(tags.and("direction", "in"))
                        .register(registry),
                DistributionSummary.builder("gatehouse.connection.bytes")
                        .baseUnit("bytes")
                        .description("Bytes relayed per connection")
                        .tags(tags.and("direction", "out"))
                        .register(registry),
                Timer.builder("gatehouse.connection.duration")
                        .description("How long proxied connections lasted")
                        .tags(tags)
                        .register(registry),
                Timer.builder("gatehouse.backend.connect")
                        .description("Time to connect to a backend server")
                        .tags(tags)
                        .register(registry),
                active,
                relayedIn,
                relayedOut);
    }

    /** Every listener's counters so far, in no particular order; one entry per listener that saw a connection. */
    public List<ListenerTraffic> traffic() {
        return meters.values().stream().map(ListenerMeters::traffic).toList();
    }

    @Override
    public RelayCounter relayCounter(String gatewayKey, String listener) {
        return meters(gatewayKey, listener);
    }

    @Override
    public void opened(String gatewayKey, String listener) {
        active.incrementAndGet();
        ListenerMeters m = meters(gatewayKey, listener);
        m.active().incrementAndGet();
        m.accepted().increment();
    }

    @Override
    public void closed(ConnectionRecord r) {
        active.decrementAndGet();
        ListenerMeters m = meters(r.gatewayKey(), r.listener());
        m.active().decrementAndGet();
        m.bytesIn().record(r.bytesFromClient());
        m.bytesOut().record(r.bytesToClient());
        m.duration().record(r.durationNanos(), TimeUnit.NANOSECONDS);
        if (r.connectNanos() >= 0) {
            m.connect().record(r.connectNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
