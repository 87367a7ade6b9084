package dev.gatehouse.observability;

import dev.gatehouse.dataplane.ConnectionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the data plane's connection events into Micrometer meters, per gateway and listener, and into an
 * opt-in access log: one line per closed connection on the logger {@code gatehouse.access}.
 */
public final class ConnectionMetrics implements ConnectionObserver {

    private static final Logger access = LoggerFactory.getLogger("gatehouse.access");

    private final MeterRegistry registry;
    private final boolean accessLog;
    private final AtomicLong active = new AtomicLong();
    /**
     * The meters of each (gateway, listener), registered once: looking them up in the registry on every
     * connection built tags, ids and five registry lookups per connection (measured in bench/, "allocation
     * per new connection"). Entries live as long as the registry keeps their meters.
     */
    private final Map<ListenerKey, ListenerMeters> meters = new ConcurrentHashMap<>();

    private record ListenerKey(String gatewayKey, String listener) {
    }

    private record ListenerMeters(Counter accepted, DistributionSummary bytesIn, DistributionSummary bytesOut,
            Timer duration, Timer connect) {
    }

    public ConnectionMetrics(MeterRegistry registry, boolean accessLog) {
        this.registry = registry;
        this.accessLog = accessLog;
        registry.gauge("gatehouse.connections.active", active);
    }

    private ListenerMeters meters(String gatewayKey, String listener) {
        ListenerKey key = new ListenerKey(gatewayKey, listener);
        ListenerMeters m = meters.get(key);
        return m != null ? m : meters.computeIfAbsent(key, this::register);
    }

    private ListenerMeters register(ListenerKey key) {
        Tags tags = Tags.of("gateway", key.gatewayKey(), "listener", key.listener());
        return new ListenerMeters(
                Counter.builder("gatehouse.connections").description("Connections accepted").tags(tags).register(registry),
                DistributionSummary.builder("gatehouse.connection.bytes").baseUnit("bytes")
                        .description("Bytes relayed per connection").tags(tags.and("direction", "in")).register(registry),
                DistributionSummary.builder("gatehouse.connection.bytes").baseUnit("bytes")
                        .description("Bytes relayed per connection").tags(tags.and("direction", "out")).register(registry),
                Timer.builder("gatehouse.connection.duration").description("How long proxied connections lasted")
                        .tags(tags).register(registry),
                Timer.builder("gatehouse.backend.connect").description("Time to connect to a backend server")
                        .tags(tags).register(registry));
    }

    @Override
    public void opened(String gatewayKey, String listener) {
        active.incrementAndGet();
        meters(gatewayKey, listener).accepted().increment();
    }

    @Override
    public void closed(ConnectionRecord r) {
        active.decrementAndGet();
        ListenerMeters m = meters(r.gatewayKey(), r.listener());
        m.bytesIn().record(r.bytesFromClient());
        m.bytesOut().record(r.bytesToClient());
        m.duration().record(r.durationNanos(), TimeUnit.NANOSECONDS);
        if (r.connectNanos() >= 0) {
            m.connect().record(r.connectNanos(), TimeUnit.NANOSECONDS);
        }
        if (accessLog && access.isInfoEnabled()) {
            access.info("client={} gateway={} listener={} backend={} bytes_in={} bytes_out={} connect_ms={} duration_ms={}",
                    r.client(), r.gatewayKey(), r.listener(), r.backend() == null ? "-" : r.backend(),
                    r.bytesFromClient(), r.bytesToClient(),
                    r.connectNanos() < 0 ? "-" : Duration.ofNanos(r.connectNanos()).toMillis(),
                    Duration.ofNanos(r.durationNanos()).toMillis());
        }
    }
}
