package dev.gatehouse.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The few REST calls the CLI makes, over {@link HttpClient}; nothing Gatehouse-internal. */
final class RestClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String apiVersion;
    private final String token;

    RestClient(String base, String apiVersion, String token) {
        this.token = token == null || token.isBlank() ? null : token.trim();
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.apiVersion = apiVersion;
        try {
            URI uri = URI.create(this.base);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url '" + base + "' is not an http(s) URL");
        }
    }

    record Response(int status, HttpHeaders headers, String body) {

        boolean ok() {
            return status / 100 == 2;
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The body as JSON; a body that is not JSON becomes a string node, so it is never lost. */
        JsonNode json() {
            if (body == null || body.isBlank()) {
                return JSON.createObjectNode();
            }
            try {
                return JSON.readTree(body);
            } catch (JacksonException e) {
                return JSON.getNodeFactory().stringNode(body);
            }
        }
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    /** GET on an absolute URL the server gave (an Azure-AsyncOperation URL). */
    Response getUrl(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    Response put(String path, String body, String ifMatch) {
        HttpRequest.Builder b =
                request(path).PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        return send(ifMatch == null ? b : b.header("If-Match", ifMatch));
    }

    Response post(String path, String body) {
        return send(request(path)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    Response delete(String path, String ifMatch) {
        HttpRequest.Builder b = request(path).DELETE();
        return send(ifMatch == null ? b : b.header("If-Match", ifMatch));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path + "?api-version=" + apiVersion));
    }

    private Response send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest r = request.timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .build();
        try {
            HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new Unreachable("cannot reach Gatehouse at " + base + " (" + r.method() + " "
                    + r.uri().getPath() + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }

    /** The server could not be reached: exit code 1. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }
}
