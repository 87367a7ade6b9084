package dev.gatehouse.dataplane.proxy;

import dev.gatehouse.dataplane.ProbeSpec;
import dev.gatehouse.dataplane.ProxyProtocol;
import dev.gatehouse.dataplane.Route;
import dev.gatehouse.dataplane.health.ServerHealth;
import dev.gatehouse.dataplane.tls.TlsContexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The load balancer's pick, once per new connection: the round-robin order over the pool's routable servers.
 * Run on two threads (the data plane's two event loops here share the cursor).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class RoundRobinBenchmark {

    @Param({"1", "4", "32"})
    public int servers;

    private RouteState route;

    @Setup
    public void route() throws Exception {
        List<Route.Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            endpoints.add(new Route.Endpoint("10.0.0." + (i + 1), 5432));
        }
        ProbeSpec probe = new ProbeSpec(
                "default",
                false,
                null,
                null,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                3,
                ProbeSpec.ProxyHeaderMode.NONE);
        Route r = new Route(
                "pool",
                "settings",
                endpoints,
                null,
                ProxyProtocol.V1,
                Duration.ofMinutes(4),
                probe,
                Duration.ofSeconds(30));
        route = new RouteState(r, new TlsContexts(false), new ServerHealth[servers]);
    }

    @Benchmark
    public int[] nextOrder() {
        return route.nextOrder();
    }
}
