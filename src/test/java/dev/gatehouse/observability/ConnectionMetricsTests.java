package dev.gatehouse.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatehouse.dataplane.ConnectionFailure;
import dev.gatehouse.dataplane.ConnectionObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

    @Test
    void failuresCountPerReasonAndEveryReasonStartsAtZero() {
        metrics.failed("gw", "web", ConnectionFailure.TLS_HANDSHAKE_TIMEOUT);
        metrics.failed("gw", "web", ConnectionFailure.TLS_HANDSHAKE_TIMEOUT);
        metrics.failed("gw", "web", ConnectionFailure.NO_HEALTHY_SERVER);

        assertThat(failures("web", "tls-handshake-timeout")).isEqualTo(2);
        assertThat(failures("web", "no-healthy-server")).isEqualTo(1);
        assertThat(failures("web", "connect-timeout")).isZero();
        assertThat(registry.find("gatehouse.connection.failures").counters())
                .hasSize(ConnectionFailure.values().length);
    }

    @Test
    void aListenerTheDataPlaneNoLongerServesLeavesTheRegistry() {
        metrics.opened("gw", "web");
        metrics.opened("gw", "api");
        metrics.opened("other", "web");
        metrics.failed("gw", "web", ConnectionFailure.CONNECT_FAILED);
        metrics.closed(record("gw", "web"));

        metrics.listenersApplied("gw", Set.of("api"));

        assertThat(registry.find("gatehouse.connection.failures")
                        .tag("gateway", "gw")
                        .tag("listener", "web")
                        .counters())
                .isEmpty();
        assertThat(registry.find("gatehouse.listener.bytes")
                        .tag("listener", "web")
                        .functionCounters())
                .allSatisfy(c -> assertThat(c.getId().getTag("gateway")).isEqualTo("other"));
        assertThat(metrics.traffic())
                .extracting(ListenerTraffic::gatewayKey, ListenerTraffic::listener)
                .containsExactlyInAnyOrder(tuple("gw", "api"), tuple("other", "web"));

        metrics.listenersApplied("gw", Set.of());

        assertThat(registry.find("gatehouse.listener.connections.active")
                        .tag("gateway", "gw")
                        .gauges())
                .isEmpty();
    }

    @Test
    void aConnectionDrainingFromARemovedListenerClosesWithoutBringingItsMetersBack() {
        metrics.opened("gw", "web");
        metrics.listenersApplied("gw", Set.of());

        metrics.closed(record("gw", "web"));

        assertThat(registry.find("gatehouse.connections").tag("gateway", "gw").functionCounters())
                .isEmpty();
        assertThat(metrics.traffic()).isEmpty();
        assertThat(registry.get("gatehouse.connections.active").gauge().value()).isZero();
    }

    @Test
    void aListenerServedAgainCountsTheConnectionsStillOpenFromBefore() {
        metrics.opened("gw", "web");
        metrics.listenersApplied("gw", Set.of());
        metrics.opened("gw", "web");
        metrics.listenersApplied("gw", Set.of("web"));

        metrics.closed(record("gw", "web"));

        assertThat(registry.get("gatehouse.listener.connections.active")
                        .tag("listener", "web")
                        .gauge()
                        .value())
                .isEqualTo(1);
    }

    /**
     * The data plane stops serving a listener just after a new connection of it looked its entry up and before it
     * counted itself there: the entry, at zero open, leaves the map, and the connection must be counted on the entry
     * that replaces it, or it is missing from the open total while it lasts and its close is taken off another count.
     */
    @Test
    void aConnectionOpenedWhileItsListenerIsDroppedIsCountedOnTheEntryThatReplacesIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<ConnectionMetrics> self = new AtomicReference<>();
        AtomicBoolean dropped = new AtomicBoolean();
        ConnectionMetrics metrics = new ConnectionMetrics(registry, () -> {
            if (dropped.compareAndSet(false, true)) {
                self.get().listenersApplied("gw", Set.of());
            }
        });
        self.set(metrics);

        metrics.opened("gw", "web");

        assertThat(dropped).isTrue();
        assertThat(metrics.traffic()).containsExactly(new ListenerTraffic("gw", "web", 1, 1, 0, 0));
        assertThat(registry.get("gatehouse.connections.active").gauge().value()).isEqualTo(1);
        metrics.closed(record("gw", "web"));
        assertThat(registry.get("gatehouse.connections.active").gauge().value()).isZero();
        assertThat(registry.get("gatehouse.listener.connections.active")
                        .tag("listener", "web")
                        .gauge()
                        .value())
                .isZero();
    }

    private double failures(String listener, String reason) {
        return registry.get("gatehouse.connection.failures")
                .tag("listener", listener)
                .tag("reason", reason)
                .counter()
                .count();
    }

    private static ConnectionObserver.ConnectionRecord record(String gateway, String listener) {
        return new ConnectionObserver.ConnectionRecord(
                gateway, listener, "127.0.0.1:5000", "127.0.0.1:5000", null, null, 0, 0, -1, 1000);
    }
}
