package dev.gatehouse.observability;

import dev.gatehouse.dataplane.ConnectionObserver;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What one proxied connection costs the meters: opened, its live byte counter asked for and fed twice (a request
 * and a response), its record made and closed. The registries are the application's: the data plane's own
 * composite registry with a Prometheus registry in it ({@code ProcessDataPlane}). Run on two threads, as the
 * data plane's two event loops share each listener's meters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class ConnectionMetricsBenchmark {

    private ConnectionMetrics metrics;

    @Setup
    public void registries() {
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        metrics = new ConnectionMetrics(composite);
    }

    @Benchmark
    public ConnectionObserver.RelayCounter oneConnection() {
        metrics.opened("/subscriptions/s/resourcegroups/rg/providers/x/applicationgateways/gw", "web");
        ConnectionObserver.RelayCounter counter =
                metrics.relayCounter("/subscriptions/s/resourcegroups/rg/providers/x/applicationgateways/gw", "web");
        counter.relayed(true, 120);
        counter.relayed(false, 480);
        metrics.closed(new ConnectionObserver.ConnectionRecord(
                "/subscriptions/s/resourcegroups/rg/providers/x/applicationgateways/gw",
                "web",
                "127.0.0.1:50000",
                "127.0.0.1:50000",
                "id",
                "127.0.0.1:5432",
                120,
                480,
                90_000,
                400_000));
        return counter;
    }
}
