package dev.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small client for the REST API over a real socket, as a CI script would use it. By default its writes
 * ask the server to wait for the data plane ({@code Prefer: wait=30}), so a test can assert on the final
 * state in the answer; {@link #async()} gives a client that does not, for ARM's asynchronous protocol.
 */
public final class GatehouseApi {

    public static final String API_VERSION = "api-version=2025-03-01";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * How long a write waits for the data plane by default: generous, since on a loaded machine an apply may queue
     * behind the periodic resync of every stored gateway; a write answers as soon as its apply is done.
     */
    private static final String DEFAULT_PREFER = "wait=30";
    /** Longer than any wait a test asks for, so the server answers before the client gives up. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(75);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final boolean waitForApply;

    public GatehouseApi(int port) {
        this("http://127.0.0.1:" + port, true);
    }

    private GatehouseApi(String base, boolean waitForApply) {
        this.base = base;
        this.waitForApply = waitForApply;
    }

    /** The same client without {@code Prefer: wait}: writes answer at once, as ARM's default. */
    public GatehouseApi async() {
        return new GatehouseApi(base, false);
    }

    public String base() {
        return base;
    }

    public record Response(int status, HttpHeaders headers, String raw) {

        public JsonNode json() {
            return raw == null || raw.isEmpty() ? null : JSON.readTree(raw);
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public String etag() {
            return headers.firstValue("ETag").orElse(null);
        }

        /**
         * The body as stored, byte for byte, apart from when each instance last recorded its status: a
         * level-triggered reconcile may record the same outcome again at any moment, so two reads of an unchanged
         * gateway may differ there and nowhere else.
         */
        public String stored() {
            JsonNode doc = json();
            for (JsonNode instance : doc.path("properties").path("instances")) {
                ((ObjectNode) instance).remove("updatedAt");
            }
            return doc.toString();
        }

        /** The ARM error code, from the body. */
        public String errorCode() {
            return json().path("error").path("code").asString();
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    private static String withVersion(String path) {
        return path.contains("api-version=") ? path : path + (path.contains("?") ? "&" : "?") + API_VERSION;
    }

    public Response put(String path, String body, String... headers) {
        return send(
                HttpRequest.newBuilder(URI.create(base + withVersion(path)))
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json"),
                headers);
    }

    public Response put(String path, JsonNode body, String... headers) {
        return put(path, JSON.writeValueAsString(body), headers);
    }

    /** PUTs the gateway and checks that it was stored (200/201) and serves (provisioningState Succeeded). */
    public Response apply(TestGateway gateway) {
        return apply(gateway.path(), gateway.json());
    }

    public Response apply(String path, JsonNode document) {
        Response r = put(path, document);
        if (r.status() / 100 != 2
                || !"Succeeded"
                        .equals(r.json()
                                .path("properties")
                                .path("provisioningState")
                                .asString())) {
            throw new AssertionError("the gateway did not apply: " + r);
        }
        return r;
    }

    public Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + withVersion(path))).GET(), headers);
    }

    /** GET without adding api-version, for testing its absence (and for paths outside the ARM API). */
    public Response getRaw(String pathAndQuery, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET(), headers);
    }

    public Response patch(String path, String body, String... headers) {
        return send(
                HttpRequest.newBuilder(URI.create(base + withVersion(path)))
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json"),
                headers);
    }

    public Response post(String path, String body, String... headers) {
        return send(
                HttpRequest.newBuilder(URI.create(base + withVersion(path)))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json"),
                headers);
    }

    public Response delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + withVersion(path))).DELETE(), headers);
    }

    private Response send(HttpRequest.Builder request, String... headers) {
        boolean prefer = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            prefer |= headers[i].equalsIgnoreCase("Prefer");
        }
        if (waitForApply && !prefer) {
            request.header("Prefer", DEFAULT_PREFER);
        }
        try {
            HttpResponse<String> r =
                    http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
