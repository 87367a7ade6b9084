package dev.gatehouse.runtime;

import dev.gatehouse.observability.DataPlaneMeters;

import dev.gatehouse.observability.ConnectionMetrics;
import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.DataPlaneSettings;
import dev.gatehouse.dataplane.HealthState;
import dev.gatehouse.dataplane.health.HealthRegistry;
import dev.gatehouse.dataplane.proxy.NettyDataPlane;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the embedded data plane from {@code gatehouse.dataplane.*} and connects its events to the meters of
 * {@code observability}; the data plane itself knows neither Spring nor Micrometer.
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

    /** A bean so the dashboard can read each listener's live counters; without Micrometer, meters stay in memory. */
    @Bean
    ConnectionMetrics connectionMetrics(Properties p, ObjectProvider<MeterRegistry> meters) {
        return new ConnectionMetrics(meters.getIfAvailable(SimpleMeterRegistry::new), p.accessLog());
    }

    @Bean(destroyMethod = "close")
    DataPlane dataPlane(Properties p, ObjectProvider<MeterRegistry> meters, ConnectionMetrics connections) {
        MeterRegistry registry = meters.getIfAvailable();
        NettyDataPlane dataPlane = new NettyDataPlane(new DataPlaneSettings(p.threads(), p.nativeTransport(),
                p.connectTimeout(), p.bindTimeout(), p.openSsl(), p.tlsHandshakeTimeout(), p.drainTimeout(), p.reusePort(),
                p.maxConnectionsPerListener(), (int) p.writeBufferHighWaterMark().toBytes(), p.acceptPerEventLoop(),
                p.pooledAllocator(), p.ioUring()),
                registry == null ? o -> { } : DataPlaneMeters.probes(registry),
                connections);
        if (registry != null) {
            DataPlaneMeters.servers(registry, dataPlane);
        }
        return dataPlane;
    }
}
