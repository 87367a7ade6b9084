package dev.gatehouse.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dataplane.ConnectionObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Each listener's live counters: open connections and bytes counted as they are relayed, not only at close. */
class ConnectionMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConnectionMetrics metrics = new ConnectionMetrics(registry);

    @Test
    void bytesRelayedByAnOpenConnectionCountAtOnce() {
        metrics.opened("gw", "web");
        ConnectionObserver.RelayCounter counter = metrics.relayCounter("gw", "web");
        counter.relayed(true, 1000);
        counter.relayed(false, 250);
        counter.relayed(true, 24);

        assertThat(metrics.traffic()).containsExactly(new ListenerTraffic("gw", "web", 1, 1, 1024, 250));
        assertThat(registry.get("gatehouse.listener.bytes")
                        .tag("listener", "web")
                        .tag("direction", "in")
                        .functionCounter()
                        .count())
                .isEqualTo(1024);
        assertThat(registry.get("gatehouse.listener.bytes")
                        .tag("direction", "out")
                        .functionCounter()
                        .count())
                .isEqualTo(250);
        assertThat(registry.get("gatehouse.listener.connections.active")
                        .tag("gateway", "gw")
                        .gauge()
                        .value())
                .isEqualTo(1);
    }

    @Test
    void aClosedConnectionLeavesTheOpenCountButNotTheTotals() {
        metrics.opened("gw", "web");
        metrics.opened("gw", "api");
        metrics.relayCounter("gw", "web").relayed(true, 10);
        metrics.closed(new ConnectionObserver.ConnectionRecord(
                "gw", "web", "127.0.0.1:5000", "127.0.0.1:5000", null, "127.0.0.1:80", 10, 0, 1000, 2000));

        assertThat(metrics.traffic())
                .containsExactlyInAnyOrder(
                        new ListenerTraffic("gw", "web", 1, 0, 10, 0), new ListenerTraffic("gw", "api", 1, 1, 0, 0));
        assertThat(registry.get("gatehouse.connections")
                        .tag("listener", "web")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("gatehouse.connections.active").gauge().value()).isEqualTo(1);
    }
}
