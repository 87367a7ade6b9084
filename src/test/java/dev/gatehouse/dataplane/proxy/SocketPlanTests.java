package dev.gatehouse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.dataplane.ListenerSpec;
import dev.gatehouse.dataplane.ProbeSpec;
import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.ServerTls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketPlanTests {

    private final Map<String, ListenerSpec> running = new LinkedHashMap<>();
    private final Map<String, List<ListenerSpec>> desired = new LinkedHashMap<>();

    @Test
    void aSocketThatStaysIsUpdatedInPlace() {
        run(tcp("db", "127.0.0.1", 5000));
        want(tcp("db", "127.0.0.1", 5000));
        SocketPlan plan = SocketPlan.of(running, desired);
        assertThat(plan.update()).containsExactly("127.0.0.1:5000");
        assertThat(plan.updates("127.0.0.1:5000")).isTrue();
        assertThat(plan.stopFirst()).isEmpty();
        assertThat(plan.bind()).isEmpty();
        assertThat(plan.stopAfter()).isEmpty();
    }

    @Test
    void aNewSocketIsBound() {
        run(tcp("db", "127.0.0.1", 5000));
        want(tcp("db", "127.0.0.1", 5000));
        want(tcp("cache", "127.0.0.1", 6379));
        SocketPlan plan = SocketPlan.of(running, desired);
        assertThat(plan.bind()).containsExactly("127.0.0.1:6379");
        assertThat(plan.updates("127.0.0.1:6379")).isFalse();
    }

    @Test
    void aSocketNoLongerWantedStopsOnlyAfterTheBinds() {
        run(tcp("db", "127.0.0.1", 5000));
        want(tcp("db", "127.0.0.1", 5001));
        SocketPlan plan = SocketPlan.of(running, desired);
        assertThat(plan.bind()).containsExactly("127.0.0.1:5001");
        assertThat(plan.stopAfter()).containsExactly("127.0.0.1:5000");
        assertThat(plan.stopFirst()).isEmpty();
    }

    @Test
    void aSocketSwitchingBetweenTcpAndTlsStopsFirstAndIsBoundAgain() {
        run(tcp("db", "127.0.0.1", 5000));
        want(tls("db", "127.0.0.1", 5000));
        SocketPlan plan = SocketPlan.of(running, desired);
        assertThat(plan.stopFirst()).containsExactly("127.0.0.1:5000");
        assertThat(plan.bind()).containsExactly("127.0.0.1:5000");
        assertThat(plan.update()).isEmpty();
        assertThat(plan.stopAfter()).isEmpty();
    }

    @Test
    void aLeavingSocketThatANewWildcardOverlapsStopsFirst() {
        run(tcp("db", "127.0.0.1", 5000));
        want(tcp("db", "0.0.0.0", 5000));
        SocketPlan plan = SocketPlan.of(running, desired);
        assertThat(plan.stopFirst()).containsExactly("127.0.0.1:5000");
        assertThat(plan.bind()).containsExactly("0.0.0.0:5000");
        assertThat(plan.stopAfter()).isEmpty();
    }

    @Test
    void aLeavingWildcardThatANewSpecificAddressOverlapsStopsFirstWhateverTheFamily() {
        run(tcp("db", "0.0.0.0", 5000));
        want(tcp("db", "::1", 5000));
        SocketPlan plan = SocketPlan.of(running, desired);
        assertThat(plan.stopFirst()).containsExactly("0.0.0.0:5000");
    }

    @Test
    void aLeavingSocketThatNoNewSocketOverlapsKeepsServingUntilTheBindsAreDone() {
        run(tcp("v4", "127.0.0.1", 5000));
        run(tcp("other-port", "0.0.0.0", 6000));
        want(tcp("v6", "::1", 5000));
        SocketPlan plan = SocketPlan.of(running, desired);
        assertThat(plan.stopFirst()).isEmpty();
        assertThat(plan.stopAfter()).containsExactlyInAnyOrder("127.0.0.1:5000", "0.0.0.0:6000");
    }

    @Test
    void socketsAreBoundInSnapshotOrder() {
        want(tcp("c", "127.0.0.1", 5003));
        want(tcp("a", "127.0.0.1", 5001));
        want(tcp("b", "127.0.0.1", 5002));
        assertThat(SocketPlan.of(running, desired).bind())
                .containsExactly("127.0.0.1:5003", "127.0.0.1:5001", "127.0.0.1:5002");
    }

    private void run(ListenerSpec spec) {
        running.put(spec.bindKey(), spec);
    }

    private void want(ListenerSpec spec) {
        desired.computeIfAbsent(spec.bindKey(), k -> new ArrayList<>()).add(spec);
    }

    private static ListenerSpec tcp(String name, String address, int port) {
        return new ListenerSpec(name, address, port, route());
    }

    private static ListenerSpec tls(String name, String address, int port) {
        return new ListenerSpec(name, address, port, new ServerTls("cert", "cGZ4", "pw"), List.of(), route());
    }

    static Route route() {
        ProbeSpec probe = new ProbeSpec(
                "default",
                false,
                null,
                null,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                3,
                ProbeSpec.ProxyHeaderMode.NONE);
        return new Route(
                "pool",
                "settings",
                List.of(new Route.Endpoint("10.0.0.4", 5432)),
                null,
                null,
                Duration.ofSeconds(20),
                probe,
                Duration.ofSeconds(30));
    }
}
