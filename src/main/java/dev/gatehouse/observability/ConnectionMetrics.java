package dev.gatehouse.observability;

import dev.gatehouse.dataplane.ConnectionFailure;
import dev.gatehouse.dataplane.ConnectionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>A listener's meters leave the registry when the data plane no longer serves it ({@link #listenersApplied});
 * its counters stay in memory while connections it accepted still drain, so their closes count against the right
 * open-connection count, and are dropped with the last of them.
 */
public final class ConnectionMetrics implements ConnectionObserver {

    private static final ConnectionFailure[] REASONS = ConnectionFailure.values();
    /**
     * The open count of an entry that left the map, set only where the count was zero: a connection that looked the
     * entry up just before cannot count itself there any more ({@link ListenerMeters#open}), and takes the entry
     * that replaces it instead.
     */
    private static final long DROPPED = Long.MIN_VALUE;

    private final MeterRegistry registry;
    /**
     * The meters of each (gateway, listener), registered once: looking them up in the registry on every
     * connection built tags, ids and five registry lookups per connection (measured in bench/, "allocation
     * per new connection"). Entries change under the map's lock for their key ({@code compute}), so registering,
     * retiring and dropping one never race with each other; a connection opened on an event loop, outside that lock,
     * counts itself on an entry that is still in the map ({@link #DROPPED}).
     */
    private final Map<ListenerKey, ListenerMeters> meters = new ConcurrentHashMap<>();
    /** Runs in {@link #opened} between the entry's look-up and the count: a test's way into that moment. */
    private final Runnable beforeCount;

    private record ListenerKey(String gatewayKey, String listener) {}

    /**
     * One listener's meters and live counters. The live counters are written on event loops (lock-free adders)
     * and read by meter scrapes and the dashboard. {@code retired} is set, under the map's lock, once the data
     * plane stopped serving the listener and its meters left the registry.
     */
    private static final class ListenerMeters implements RelayCounter {

        final ListenerKey key;
        final LongAdder accepted = new LongAdder();
        final AtomicLong active;
        final LongAdder relayedIn = new LongAdder();
        final LongAdder relayedOut = new LongAdder();
        final Counter[] failures = new Counter[REASONS.length];
        final List<Meter> registered = new ArrayList<>();
        DistributionSummary bytesIn;
        DistributionSummary bytesOut;
        Timer duration;
        Timer connect;
        volatile boolean retired;

        ListenerMeters(ListenerKey key, AtomicLong active) {
            this.key = key;
            this.active = active;
        }

        /** Counts one more open connection, unless the entry was dropped since it was looked up. */
        boolean open() {
            for (long n = active.get(); n != DROPPED; n = active.get()) {
                if (active.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return false;
        }

        /** Leaves the map if no connection is open: at zero, the count becomes {@link #DROPPED} and stays so. */
        boolean drop() {
            return active.compareAndSet(0, DROPPED);
        }

        @Override
        public void relayed(boolean fromClient, long bytes) {
            (fromClient ? relayedIn : relayedOut).add(bytes);
        }

        ListenerTraffic traffic() {
            return new ListenerTraffic(
                    key.gatewayKey(),
                    key.listener(),
                    accepted.sum(),
                    openCount(active),
                    relayedIn.sum(),
                    relayedOut.sum());
        }
    }

    public ConnectionMetrics(MeterRegistry registry) {
        this(registry, () -> {});
    }

    ConnectionMetrics(MeterRegistry registry, Runnable beforeCount) {
        this.registry = registry;
        this.beforeCount = beforeCount;
        // The sum of the listeners' open counts, read at a scrape: one atomic counter fewer to update twice per
        // connection, on every event loop (docs/benchmarks.md, Levers). An entry stays in the map while any of its
        // connections is open, and an entry that replaced a retired one shares its open count, so each open
        // connection is counted exactly once.
        Gauge.builder("gatehouse.connections.active", meters, ConnectionMetrics::open)
                .register(registry);
    }

    private static double open(Map<ListenerKey, ListenerMeters> meters) {
        long open = 0;
        for (ListenerMeters m : meters.values()) {
            open += openCount(m.active);
        }
        return open;
    }

    /** An open count as meters show it: a dropped entry's is zero (a scrape may still hold it for a moment). */
    private static long openCount(AtomicLong active) {
        return Math.max(0, active.get());
    }

    /** The listener's live entry, registering its meters when it has none or its last one was retired. */
    private ListenerMeters meters(String gatewayKey, String listener) {
        ListenerKey key = new ListenerKey(gatewayKey, listener);
        ListenerMeters m = meters.get(key);
        if (m != null && !m.retired) {
            return m;
        }
        // A listener served again: connections still draining from before keep counting in the same open count.
        return meters.compute(
                key,
                (k, old) ->
                        old != null && !old.retired ? old : register(k, old == null ? new AtomicLong() : old.active));
    }

    private ListenerMeters register(ListenerKey key, AtomicLong active) {
        ListenerMeters m = new ListenerMeters(key, active);
        Tags tags = Tags.of("gateway", key.gatewayKey(), "listener", key.listener());
        List<Meter> r = m.registered;
        r.add(Gauge.builder("gatehouse.listener.connections.active", active, ConnectionMetrics::openCount)
                .description("Open connections of the listener")
                .tags(tags)
                .register(registry));
        for (String direction : List.of("in", "out")) {
            r.add(FunctionCounter.builder(
                            "gatehouse.listener.bytes",
                            direction.equals("in") ? m.relayedIn : m.relayedOut,
                            LongAdder::sum)
                    .baseUnit("bytes")
                    .description("Bytes relayed by the listener's connections, counted as they pass")
                    .tags(tags.and("direction", direction))
                    .register(registry));
        }
        r.add(FunctionCounter.builder("gatehouse.connections", m.accepted, LongAdder::sum)
                .description("Connections accepted")
                .tags(tags)
                .register(registry));
        for (ConnectionFailure reason : REASONS) {
            // Every reason from the start, at zero: a rate over the first failure then sees it.
            m.failures[reason.ordinal()] = Counter.builder("gatehouse.connection.failures")
                    .description("Client connections that failed, by reason")
                    .tags(tags.and("reason", reason.tag()))
                    .register(registry);
            r.add(m.failures[reason.ordinal()]);
        }
        m.bytesIn = DistributionSummary.builder("gatehouse.connection.bytes")
                .baseUnit("bytes")
                .description("Bytes relayed per connection")
                .tags(tags.and("direction", "in"))
                .register(registry);
        m.bytesOut = DistributionSummary.builder("gatehouse.connection.bytes")
                .baseUnit("bytes")
                .description("Bytes relayed per connection")
                .tags(tags.and("direction", "out"))
                .register(registry);
        m.duration = Timer.builder("gatehouse.connection.duration")
                .description("How long proxied connections lasted")
                .tags(tags)
                .register(registry);
        m.connect = Timer.builder("gatehouse.backend.connect")
                .description("Time to connect to a backend server")
                .tags(tags)
                .register(registry);
        r.addAll(List.of(m.bytesIn, m.bytesOut, m.duration, m.connect));
        return m;
    }

    /** Every served listener's counters so far, in no particular order; one per listener that saw a connection. */
    public List<ListenerTraffic> traffic() {
        return meters.values().stream()
                .filter(m -> !m.retired)
                .map(ListenerMeters::traffic)
                .toList();
    }

    @Override
    public RelayCounter relayCounter(String gatewayKey, String listener) {
        return existing(gatewayKey, listener);
    }

    /**
     * The listener's meters as they are, retired or not: for events of connections it accepted, which may end
     * after it was removed. Only a new connection ({@link #opened}) means the listener is served again.
     */
    private ListenerMeters existing(String gatewayKey, String listener) {
        ListenerMeters m = meters.get(new ListenerKey(gatewayKey, listener));
        return m != null ? m : meters(gatewayKey, listener);
    }

    @Override
    public void opened(String gatewayKey, String listener) {
        ListenerMeters m;
        do {
            // A listener retired and dropped between the look-up and the count: the next look-up registers it again.
            m = meters(gatewayKey, listener);
            beforeCount.run();
        } while (!m.open());
        m.accepted.increment();
    }

    @Override
    public void closed(ConnectionRecord r) {
        ListenerKey key = new ListenerKey(r.gatewayKey(), r.listener());
        ListenerMeters m = meters.get(key);
        if (m == null) {
            return; // its listener was removed and its other connections have all closed
        }
        if (m.active.decrementAndGet() == 0 && m.retired) {
            meters.computeIfPresent(key, (k, cur) -> cur.retired && cur.drop() ? null : cur);
        }
        m.bytesIn.record(r.bytesFromClient());
        m.bytesOut.record(r.bytesToClient());
        m.duration.record(r.durationNanos(), TimeUnit.NANOSECONDS);
        if (r.connectNanos() >= 0) {
            m.connect.record(r.connectNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void failed(String gatewayKey, String listener, ConnectionFailure reason) {
        existing(gatewayKey, listener).failures[reason.ordinal()].increment();
    }

    @Override
    public void listenersApplied(String gatewayKey, Set<String> listeners) {
        for (ListenerKey key : List.copyOf(meters.keySet())) {
            if (key.gatewayKey().equals(gatewayKey) && !listeners.contains(key.listener())) {
                meters.computeIfPresent(key, (k, m) -> {
                    m.retired = true;
                    m.registered.forEach(registry::remove);
                    return m.drop() ? null : m;
                });
            }
        }
    }
}
