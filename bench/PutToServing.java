import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * PUT-to-serving latency: from the moment a PUT that adds a listener is answered to the first successful
 * TCP connect on that listener, and the PUT's own duration, with N unrelated gateways stored.
 *
 * java bench/PutToServing.java <api-base-url> <stored-gateways> <runs> <first-port>
 *
 * JDK only. Listeners use ports from first-port upwards (stored-gateways + runs + a few) on 127.0.0.1.
 * 50 warm-up PUTs run before the measured ones. Each PUT asks {@code Prefer: wait=10}: it is answered once its
 * asynchronous operation has settled (the data plane applied it), so "answered" means "reported serving".
 */
public class PutToServing {

    static final String SUB = "00000000-0000-0000-0000-000000000000";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int stored = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        int port = Integer.parseInt(args[3]);
        for (int i = 0; i < stored - 1; i++) {
            put(base, "bench-bg-" + i, port++);
        }
        // Warm the JVM (JIT, pools) the same way for every N before measuring.
        for (int i = 0; i < 50; i++) {
            put(base, "bench-warmup", port + runs + 1000 + (i % 2));
        }
        List<Double> serve = new ArrayList<>();
        List<Double> putMs = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            int listen = port++;
            long start = System.nanoTime();
            put(base, "bench-measure", listen);
            long answered = System.nanoTime();
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", listen), 1000);
                    break;
                } catch (java.io.IOException notYet) {
                    if (System.nanoTime() - answered > 10_000_000_000L) {
                        throw new IllegalStateException("listener " + listen + " not serving 10 s after the PUT");
                    }
                }
            }
            long serving = System.nanoTime();
            serve.add((serving - answered) / 1e6);
            putMs.add((answered - start) / 1e6);
        }
        System.out.printf("%d stored, %d runs: PUT p50 %.2f ms p99 %.2f ms | answer-to-serving p50 %.2f ms p99 %.2f ms%n",
                stored, runs, pct(putMs, 50), pct(putMs, 99), pct(serve, 50), pct(serve, 99));
    }

    static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    static void put(String base, String name, int listenPort) throws Exception {
        String gw = "/subscriptions/" + SUB + "/resourceGroups/bench/providers/Microsoft.Network/applicationGateways/" + name;
        String id = gw;
        String doc = """
            {"location": "local", "properties": {
              "frontendIPConfigurations": [{"name": "fip", "properties": {"privateIPAddress": "127.0.0.1"}}],
              "frontendPorts": [{"name": "p", "properties": {"port": %d}}],
              "listeners": [{"name": "l", "properties": {"protocol": "Tcp",
                 "frontendIPConfiguration": {"id": "%s/frontendIPConfigurations/fip"},
                 "frontendPort": {"id": "%s/frontendPorts/p"}}}],
              "backendAddressPools": [{"name": "pool", "properties": {"backendAddresses": [{"ipAddress": "127.0.0.1"}]}}],
              "probes": [{"name": "quiet", "properties": {"protocol": "Tcp", "port": 1, "interval": 86400, "unhealthyThreshold": 20}}],
              "backendSettingsCollection": [{"name": "s", "properties": {"protocol": "Tcp", "port": 9,
                 "probe": {"id": "%s/probes/quiet"}}}],
              "routingRules": [{"name": "r", "properties": {"ruleType": "Basic", "priority": 1,
                 "listener": {"id": "%s/listeners/l"}, "backendAddressPool": {"id": "%s/backendAddressPools/pool"},
                 "backendSettings": {"id": "%s/backendSettingsCollection/s"}}}]}}
            """.formatted(listenPort, id, id, id, id, id, id);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + gw + "?api-version=2025-03-01"))
                .PUT(HttpRequest.BodyPublishers.ofString(doc)).header("Content-Type", "application/json")
                // Writes answer at once with Updating; this waits for the operation, as a CI script's wait would.
                .header("Prefer", "wait=10")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2 || !r.body().contains("\"provisioningState\":\"Succeeded\"")) {
            throw new IllegalStateException("PUT " + name + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
