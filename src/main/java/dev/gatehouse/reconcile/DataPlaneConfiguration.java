package dev.gatehouse.reconcile;

import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.DataPlaneSettings;
import dev.gatehouse.dataplane.HealthState;
import dev.gatehouse.dataplane.health.HealthRegistry;
import dev.gatehouse.dataplane.proxy.NettyDataPlane;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the embedded data plane from {@code gatehouse.dataplane.*} and connects its probe results to
 * Micrometer; the data plane itself knows neither Spring nor Micrometer.
 */
@Configuration(proxyBeanMethods = false)
class DataPlaneConfiguration {

    @ConfigurationProperties("gatehouse.dataplane")
    record Properties(
            @DefaultValue("0") int threads,
            @DefaultValue("false") boolean nativeTransport,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("5s") Duration bindTimeout,
            @DefaultValue("true") boolean openSsl,
            @DefaultValue("10s") Duration tlsHandshakeTimeout,
            @DefaultValue("30s") Duration drainTimeout,
            @DefaultValue("false") boolean accessLog,
            @DefaultValue("false") boolean reusePort,
            @DefaultValue("10000") int maxConnectionsPerListener,
            @DefaultValue("64KB") org.springframework.util.unit.DataSize writeBufferHighWaterMark,
            @DefaultValue("false") boolean acceptPerEventLoop,
            @DefaultValue("true") boolean pooledAllocator,
            @DefaultValue("false") boolean ioUring) {
    }

    @Bean(destroyMethod = "close")
    DataPlane dataPlane(Properties p, ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable();
        Consumer<HealthRegistry.ProbeObservation> observer = registry == null ? o -> { } : o -> Timer
                .builder("gatehouse.probe")
                .description("Health probes per backend server: count by result, and their latency")
                .tag("gateway", o.gatewayKey()).tag("pool", o.pool()).tag("settings", o.settings())
                .tag("server", o.server()).tag("result", o.success() ? "success" : "failure")
                .register(registry).record(o.nanos(), TimeUnit.NANOSECONDS);
        NettyDataPlane dataPlane = new NettyDataPlane(new DataPlaneSettings(p.threads(), p.nativeTransport(),
                p.connectTimeout(), p.bindTimeout(), p.openSsl(), p.tlsHandshakeTimeout(), p.drainTimeout(), p.reusePort(),
                p.maxConnectionsPerListener(), (int) p.writeBufferHighWaterMark().toBytes(), p.acceptPerEventLoop(),
                p.pooledAllocator(), p.ioUring()),
                observer,
                registry == null ? dev.gatehouse.dataplane.ConnectionObserver.NONE
                        : new ConnectionMetrics(registry, p.accessLog()));
        if (registry != null) {
            for (HealthState state : HealthState.values()) {
                Gauge.builder("gatehouse.backend.servers", dataPlane, dp -> dp.gatewayKeys().stream()
                                .flatMap(g -> dp.health(g).stream()).filter(h -> h.health() == state).count())
                        .description("Backend servers by probed health, over all gateways")
                        .tag("health", state.name())
                        .register(registry);
            }
        }
        return dataPlane;
    }
}
