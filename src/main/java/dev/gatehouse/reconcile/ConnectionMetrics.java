package dev.gatehouse.reconcile;

import dev.gatehouse.dataplane.ConnectionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the data plane's connection events into Micrometer meters, per gateway and listener, and into an
 * opt-in access log: one line per closed connection on the logger {@code gatehouse.access}.
 */
final class ConnectionMetrics implements ConnectionObserver {

    private static final Logger access = LoggerFactory.getLogger("gatehouse.access");

    private final MeterRegistry registry;
    private final boolean accessLog;
    private final AtomicLong active = new AtomicLong();

    ConnectionMetrics(MeterRegistry registry, boolean accessLog) {
        this.registry = registry;
        this.accessLog = accessLog;
        registry.gauge("gatehouse.connections.active", active);
    }

    @Override
    public void opened(String gatewayKey, String listener) {
        active.incrementAndGet();
        Counter.builder("gatehouse.connections").description("Connections accepted")
                .tags(Tags.of("gateway", gatewayKey, "listener", listener)).register(registry).increment();
    }

    @Override
    public void closed(ConnectionRecord r) {
        active.decrementAndGet();
        Tags tags = Tags.of("gateway", r.gatewayKey(), "listener", r.listener());
        DistributionSummary.builder("gatehouse.connection.bytes").baseUnit("bytes")
                .description("Bytes relayed per connection").tags(tags.and("direction", "in"))
                .register(registry).record(r.bytesFromClient());
        DistributionSummary.builder("gatehouse.connection.bytes").baseUnit("bytes")
                .description("Bytes relayed per connection").tags(tags.and("direction", "out"))
                .register(registry).record(r.bytesToClient());
        Timer.builder("gatehouse.connection.duration").description("How long proxied connections lasted")
                .tags(tags).register(registry).record(r.durationNanos(), TimeUnit.NANOSECONDS);
        if (r.connectNanos() >= 0) {
            Timer.builder("gatehouse.backend.connect").description("Time to connect to a backend server")
                    .tags(tags).register(registry).record(r.connectNanos(), TimeUnit.NANOSECONDS);
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
