package dev.gatehouse.observability;

import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.HealthState;
import dev.gatehouse.dataplane.health.HealthRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The data plane's health as Micrometer meters: each probe's result and latency, servers by health, and the I/O
 * transport in use.
 */
public final class DataPlaneMeters {

    private DataPlaneMeters() {}

    /** Records each probe as {@code gatehouse.probe}, tagged with its server and result. */
    public static Consumer<HealthRegistry.ProbeObservation> probes(MeterRegistry registry) {
        return o -> Timer.builder("gatehouse.probe")
                .description("Health probes per backend server: count by result, and their latency")
                .tag("gateway", o.gatewayKey())
                .tag("pool", o.pool())
                .tag("settings", o.settings())
                .tag("server", o.server())
                .tag("result", o.success() ? "success" : "failure")
                .register(registry)
                .record(o.nanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Registers {@code gatehouse.dataplane.info}, always 1, tagged with the transport the event loops run: where
     * io_uring or epoll was asked for and refused (a container's seccomp profile), the scrape shows NIO.
     */
    public static void transport(MeterRegistry registry, String transport) {
        Gauge.builder("gatehouse.dataplane.info", () -> 1)
                .description("Always 1; the transport tag names the data plane's I/O transport")
                .tag("transport", transport)
                .register(registry);
    }

    /** Registers {@code gatehouse.backend.servers}: backend servers by probed health, over all gateways. */
    public static void servers(MeterRegistry registry, DataPlane dataPlane) {
        for (HealthState state : HealthState.values()) {
            Gauge.builder(
                            "gatehouse.backend.servers",
                            dataPlane,
                            dp -> dp.gatewayKeys().stream()
                                    .flatMap(g -> dp.health(g).stream())
                                    .filter(h -> h.health() == state)
                                    .count())
                    .description("Backend servers by probed health, over all gateways")
                    .tag("health", state.name())
                    .register(registry);
        }
    }
}
