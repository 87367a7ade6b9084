package dev.gatehouse.runtime;

import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.DataPlaneSettings;
import dev.gatehouse.observability.ConnectionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Provides the process's data plane ({@link ProcessDataPlane}, configured by {@code gatehouse.dataplane.*}) to the
 * application; the data plane itself knows neither Spring nor Micrometer.
 */
@Configuration(proxyBeanMethods = false)
public class DataPlaneConfiguration {

    /**
     * {@code gatehouse.dataplane.*}: process-wide data-plane tuning ({@link DataPlaneSettings}) and the access log.
     *
     * @param threads                   The number of Netty event-loop threads; 0 means one per CPU core.
     * @param nativeTransport           Use epoll where it is available, before io_uring. Off because Netty 4.2's
     *                                  epoll cuts half-closed connections short under backpressure
     *                                  (docs/decisions.md); the bundled native library is for linux-x86_64.
     * @param connectTimeout            The longest one backend connect may take before the next server is tried.
     * @param bindTimeout               The longest a listener bind (and a listener close) may take before it is
     *                                  reported ListenerBindFailed.
     * @param openSsl                   Use OpenSSL (BoringSSL, bundled through netty-tcnative) for TLS when it loads
     *                                  on this platform; else the JDK's TLS provider.
     * @param tlsHandshakeTimeout       How long a client of a Tls listener has to send its ClientHello, and then
     *                                  again to complete the handshake; the same limit applies to Tls backends.
     * @param drainTimeout              How long open connections may continue when their listener or server is
     *                                  removed, or their gateway is stopped or deleted, for backend settings without
     *                                  connectionDraining. Also the upper bound of the wait for open connections at
     *                                  shutdown.
     * @param accessLog                 One INFO line per closed connection on the logger gatehouse.access (client,
     *                                  backend, bytes, duration).
     * @param reusePort                 Bind listeners with SO_REUSEPORT, so a new process serves beside the one it
     *                                  replaces and replicas on one host can serve the same listener. Within one
     *                                  process a port is still never shared between gateways.
     * @param maxConnectionsPerListener Open client connections per listening socket; more are closed at once.
     * @param writeBufferHighWaterMark  Bytes queued towards one side of a connection before reading from the other
     *                                  pauses (half of it resumes).
     * @param acceptPerEventLoop        One listening socket per event loop (SO_REUSEPORT), each keeping the
     *                                  connections it accepts on its own thread.
     * @param pooledAllocator           Netty's pooled buffer allocator; false: Netty 4.2's default adaptive
     *                                  allocator.
     * @param ioUring                   Use io_uring where the kernel allows it, unless native-transport (epoll) is
     *                                  on; NIO where neither applies (the start-up line says why). On by default:
     *                                  decisions (bh) and (bi).
     */
    @ConfigurationProperties("gatehouse.dataplane")
    public record Properties(
            @DefaultValue("0") int threads,
            @DefaultValue("false") boolean nativeTransport,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("5s") Duration bindTimeout,
            @DefaultValue("true") boolean openSsl,
            @DefaultValue("10s") Duration tlsHandshakeTimeout,
            @DefaultValue("30s") Duration drainTimeout,
            @DefaultValue("false") boolean accessLog,
            @DefaultValue("true") boolean reusePort,
            @DefaultValue("10000") int maxConnectionsPerListener,
            @DefaultValue("64KB") DataSize writeBufferHighWaterMark,
            @DefaultValue("false") boolean acceptPerEventLoop,
            @DefaultValue("true") boolean pooledAllocator,
            @DefaultValue("true") boolean ioUring) {

        /** The data plane's settings, as these properties give them. */
        public DataPlaneSettings settings() {
            return new DataPlaneSettings(
                    threads,
                    nativeTransport,
                    connectTimeout,
                    bindTimeout,
                    openSsl,
                    tlsHandshakeTimeout,
                    drainTimeout,
                    reusePort,
                    maxConnectionsPerListener,
                    (int) writeBufferHighWaterMark.toBytes(),
                    acceptPerEventLoop,
                    pooledAllocator,
                    ioUring);
        }
    }

    /** The data plane {@code RestoreOnStart} started before the application context, handed to it. */
    public record StartedEarly(ProcessDataPlane dataPlane) {}

    /**
     * The data plane, with its meters in the application's registry: the one started before the context (a
     * {@link StartedEarly}, when there were listeners to restore), else a new one.
     */
    @Bean(destroyMethod = "close")
    ProcessDataPlane processDataPlane(
            Properties p, ObjectProvider<StartedEarly> early, ObjectProvider<MeterRegistry> meters) {
        StartedEarly started = early.getIfAvailable();
        ProcessDataPlane running;
        if (started != null) {
            running = started.dataPlane();
        } else {
            running = ProcessDataPlane.start(p);
            running.prepareTls();
        }
        meters.ifAvailable(running::reportTo);
        return running;
    }

    /** A bean so the dashboard can read each listener's live counters. */
    @Bean(destroyMethod = "")
    ConnectionMetrics connectionMetrics(ProcessDataPlane running) {
        return running.connections();
    }

    /** A bean, so that the reconciler takes its default drain timeout from the same binding. */
    @Bean
    DataPlaneSettings dataPlaneSettings(ProcessDataPlane running) {
        return running.settings();
    }

    /** Closed with {@link ProcessDataPlane}, not on its own. */
    @Bean(destroyMethod = "")
    DataPlane dataPlane(ProcessDataPlane running) {
        return running.dataPlane();
    }
}
