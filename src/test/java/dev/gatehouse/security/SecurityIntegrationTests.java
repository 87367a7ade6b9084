package dev.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.GatehouseApplication;
import dev.gatehouse.cli.Cli;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API with credentials configured: API keys and JWTs, roles at scopes, 401/403/429 in ARM's envelope,
 * secrets encrypted at rest and never echoed, the listener policy, request and collection limits, and the
 * data plane's connection cap. Its own application (an H2 file), apart from the shared test application.
 */
@SpringBootTest(
        classes = GatehouseApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gatehouse.security.burst=5",
            "gatehouse.security.requests-per-second=1000",
            "gatehouse.security.listeners.allowed-ports=1024-61000,65300",
            "gatehouse.api.max-request-size=64KB",
            "gatehouse.api.max-children=5",
            "gatehouse.api.max-gateways=8",
            "gatehouse.dataplane.max-connections-per-listener=3",
            "gatehouse.dataplane.drain-timeout=1s",
            "gatehouse.reconcile.initial-backoff=200ms"
        })
@ExtendWith(OutputCaptureExtension.class)
class SecurityIntegrationTests {

    static final String CI_TOKEN = "gh_ci-token-for-tests-0000000000000000000000000";
    static final String AUDITOR_TOKEN = "gh_auditor-token-for-tests-00000000000000000000";
    static final String SLOW_TOKEN = "gh_slow-token-for-tests-000000000000000000000000";
    static final String ENCRYPTION_KEY = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
    static final String OTHER_SUBSCRIPTION = "11111111-1111-1111-1111-111111111111";

    static final Path DATA;
    static final RSAKey SIGNING;
    static final HttpServer JWKS;

    static {
        try {
            // Under target/, not the system's temp directory: the cached context keeps the H2 file open until the
            // JVM exits, so the test cannot delete it, and `./mvnw clean` does.
            Files.createDirectories(Path.of("target"));
            DATA = Files.createTempDirectory(Path.of("target"), "gatehouse-security")
                    .toAbsolutePath();
            SIGNING = new RSAKeyGenerator(2048).keyID("test-key").generate();
            JWKS = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] body = new JWKSet(SIGNING.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            JWKS.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            JWKS.start();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add(
                "spring.datasource.url", () -> "jdbc:h2:file:" + DATA.resolve("gatehouse") + ";DB_CLOSE_ON_EXIT=FALSE");
        // A list binds from one property source only: every key property is here.
        registry.add("gatehouse.security.api-keys[0].name", () -> "ci");
        registry.add("gatehouse.security.api-keys[0].role", () -> "Contributor");
        registry.add("gatehouse.security.api-keys[0].scope", () -> "/subscriptions/" + TestGateway.SUBSCRIPTION);
        registry.add("gatehouse.security.api-keys[1].name", () -> "auditor");
        registry.add("gatehouse.security.api-keys[1].role", () -> "Reader");
        registry.add(
                "gatehouse.security.api-keys[1].scope",
                () -> "/subscriptions/" + TestGateway.SUBSCRIPTION + "/resourceGroups/" + TestGateway.RESOURCE_GROUP);
        registry.add("gatehouse.security.api-keys[2].name", () -> "slow");
        registry.add("gatehouse.security.api-keys[2].role", () -> "Reader");
        registry.add("gatehouse.security.api-keys[2].requests-per-second", () -> "0.5");
        registry.add("gatehouse.security.api-keys[0].hash", () -> ApiKeys.hash(CI_TOKEN));
        registry.add("gatehouse.security.api-keys[1].hash", () -> ApiKeys.hash(AUDITOR_TOKEN));
        registry.add("gatehouse.security.api-keys[2].hash", () -> ApiKeys.hash(SLOW_TOKEN));
        registry.add(
                "gatehouse.security.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks");
        registry.add("gatehouse.security.jwt.issuer", () -> "https://login.example.com/tenant");
        registry.add("gatehouse.security.jwt.audience", () -> "api://gatehouse");
        registry.add("gatehouse.security.encryption-key", () -> ENCRYPTION_KEY);
    }

    @AfterAll
    static void stopJwks() {
        JWKS.stop(0);
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    private GatehouseApi.Response call(String method, String path, String token, String body, String... headers) {
        String url = "http://127.0.0.1:" + port + path
                + (path.contains("?") || !path.startsWith("/subscriptions") ? "" : "?" + GatehouseApi.API_VERSION);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new GatehouseApi.Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwt(List<String> roles, Instant expires, RSAKey key, String audience) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("pipeline-42")
                .issuer("https://login.example.com/tenant")
                .audience(audience)
                .expirationTime(Date.from(expires))
                .issueTime(new Date())
                .claim("roles", roles)
                .build();
        SignedJWT signed = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        signed.sign(new RSASSASigner(key));
        return signed.serialize();
    }

    private static String gatewayJson(TestGateway gw) {
        return TestGateway.text(gw.json());
    }

    @Test
    void withoutAValidTokenTheApiAnswers401InArmsEnvelopeButHealthAndTheApiDescriptionAreOpen() {
        TestGateway gw = TestGateway.named("sec-anon");
        for (String token : new String[] {null, "gh_not-a-key", "not.a.jwt"}) {
            GatehouseApi.Response r = call("GET", gw.path(), token, null);
            assertThat(r.status()).as(String.valueOf(token)).isEqualTo(401);
            assertThat(r.errorCode()).isEqualTo("AuthenticationFailed");
            assertThat(r.header("WWW-Authenticate")).contains("Bearer");
            assertThat(r.header("x-ms-error-code")).contains("AuthenticationFailed");
            assertThat(r.header("x-ms-request-id")).isPresent();
        }
        assertThat(call("GET", gw.path(), null, null, "Authorization", "Basic YTpi")
                        .status())
                .isEqualTo(401);
        assertThat(call("GET", "/actuator/health/readiness", null, null).status())
                .isEqualTo(200);
        assertThat(call("GET", "/v3/api-docs", null, null).status()).isEqualTo(200);
        assertThat(call("GET", "/swagger-ui.html", null, null).status()).isEqualTo(302);
        assertThat(call("GET", "/swagger-ui/index.html", null, null).status()).isEqualTo(200);
        assertThat(call("GET", "/swagger-ui/swagger-initializer.js", null, null).status())
                .isEqualTo(200);
        assertThat(call("GET", "/actuator/prometheus", null, null).status()).isEqualTo(401);
        assertThat(call("GET", "/actuator/prometheus", AUDITOR_TOKEN, null).status())
                .isEqualTo(200);
    }

    @Test
    void rolesAndScopesDecideWhoMayReadAndWriteWhat() {
        int listen = FreePorts.next();
        TestGateway gw =
                TestGateway.named("sec-roles").listen("127.0.0.1", listen).backends(9, "127.0.0.1");

        assertThat(call("PUT", gw.path(), AUDITOR_TOKEN, gatewayJson(gw)).errorCode())
                .isEqualTo("AuthorizationFailed");
        GatehouseApi.Response put = call("PUT", gw.path(), CI_TOKEN, gatewayJson(gw), "Prefer", "wait=10");
        assertThat(put.status()).as(put.toString()).isEqualTo(201);

        assertThat(call("GET", gw.path(), AUDITOR_TOKEN, null).status()).isEqualTo(200);
        assertThat(call("POST", gw.path() + "/backendhealth", AUDITOR_TOKEN, "").status())
                .isEqualTo(200);
        assertThat(call("POST", gw.path() + "/validate", AUDITOR_TOKEN, gatewayJson(gw))
                        .status())
                .isEqualTo(200);
        GatehouseApi.Response stop = call("POST", gw.path() + "/stop", AUDITOR_TOKEN, "");
        assertThat(stop.status()).isEqualTo(403);
        assertThat(stop.json().path("error").path("message").asString())
                .contains("key:auditor")
                .contains("Contributor");

        // Outside the scope: another resource group for the reader, another subscription for both.
        String otherGroup =
                gw.path().replace("/resourceGroups/" + TestGateway.RESOURCE_GROUP + "/", "/resourceGroups/other/");
        assertThat(call("GET", otherGroup, AUDITOR_TOKEN, null).status()).isEqualTo(403);
        assertThat(call("GET", otherGroup, CI_TOKEN, null).status()).isEqualTo(404);
        String otherSub = gw.path().replace(TestGateway.SUBSCRIPTION, OTHER_SUBSCRIPTION);
        assertThat(call("PUT", otherSub, CI_TOKEN, gatewayJson(gw)).errorCode()).isEqualTo("AuthorizationFailed");
        assertThat(call(
                                "GET",
                                gw.path()
                                        .replace(
                                                TestGateway.RESOURCE_GROUP,
                                                TestGateway.RESOURCE_GROUP.toUpperCase(Locale.ROOT)),
                                AUDITOR_TOKEN,
                                null)
                        .status())
                .as("scopes are case-insensitive, like ARM ids")
                .isEqualTo(200);

        assertThat(call("DELETE", gw.path(), CI_TOKEN, null, "Prefer", "wait=10")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void jwtsFromTheConfiguredIssuerCarryRolesAtScopes() throws Exception {
        TestGateway gw = TestGateway.named("sec-jwt")
                .listen("127.0.0.1", FreePorts.next())
                .backends(9, "127.0.0.1");
        Instant later = Instant.now().plusSeconds(600);
        String contributor = jwt(
                List.of("Contributor:/subscriptions/" + TestGateway.SUBSCRIPTION), later, SIGNING, "api://gatehouse");
        assertThat(call("PUT", gw.path(), contributor, gatewayJson(gw), "Prefer", "wait=10")
                        .status())
                .isEqualTo(201);

        String reader = jwt(List.of("Reader"), later, SIGNING, "api://gatehouse");
        assertThat(call("GET", gw.path(), reader, null).status()).isEqualTo(200);
        assertThat(call("DELETE", gw.path(), reader, null).errorCode()).isEqualTo("AuthorizationFailed");
        assertThat(call("GET", gw.path(), jwt(List.of(), later, SIGNING, "api://gatehouse"), null)
                        .status())
                .isEqualTo(403);

        String expired = jwt(List.of("Contributor"), Instant.now().minusSeconds(600), SIGNING, "api://gatehouse");
        String otherAudience = jwt(List.of("Contributor"), later, SIGNING, "api://someone-else");
        String forged = jwt(
                List.of("Contributor"),
                later,
                new RSAKeyGenerator(2048).keyID("test-key").generate(),
                "api://gatehouse");
        for (String bad : new String[] {expired, otherAudience, forged}) {
            assertThat(call("GET", gw.path(), bad, null).errorCode()).isEqualTo("AuthenticationFailed");
        }
        assertThat(call("DELETE", gw.path(), contributor, null, "Prefer", "wait=10")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aCallerOverItsRateGets429WithRetryAfter() {
        String path = TestGateway.path("sec-rate");
        int limited = 0;
        GatehouseApi.Response last = null;
        for (int i = 0; i < 8; i++) {
            last = call("GET", path, SLOW_TOKEN, null);
            if (last.status() == 429) {
                limited++;
                break;
            }
            assertThat(last.status()).isEqualTo(404);
        }
        assertThat(limited).as("a burst of 5, then 0.5 requests per second").isEqualTo(1);
        assertThat(last.errorCode()).isEqualTo("TooManyRequests");
        assertThat(Integer.parseInt(last.header("Retry-After").orElseThrow())).isBetween(1, 2);
        // Other callers have their own buckets.
        assertThat(call("GET", path, AUDITOR_TOKEN, null).status()).isEqualTo(404);
    }

    @Test
    void certificateSecretsAreEncryptedAtRestAndNeverEchoedOrLogged(CapturedOutput output) throws Exception {
        try (TestCertificates ca = TestCertificates.newAuthority()) {
            String password = "pw-" + System.nanoTime();
            String pfx = ca.server("secure.example.com").pfxBase64(password);
            TestGateway gw = TestGateway.named("sec-secrets")
                    .tlsListener(pfx, password)
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(9, "127.0.0.1");
            GatehouseApi.Response put = call("PUT", gw.path(), CI_TOKEN, gatewayJson(gw), "Prefer", "wait=10");
            assertThat(put.status()).as(put.toString()).isEqualTo(201);
            assertThat(put.raw()).doesNotContain(password).doesNotContain(pfx.substring(0, 40));
            assertThat(call("GET", gw.path(), CI_TOKEN, null).raw()).doesNotContain(password);

            String stored = storedDocument(gw.name());
            assertThat(stored).contains("enc:v1:").doesNotContain(password).doesNotContain(pfx.substring(0, 40));

            // A wrong password is reported without echoing either secret.
            ObjectNode wrong = gw.json();
            ((ObjectNode) wrong.path("properties")
                            .path("sslCertificates")
                            .path(0)
                            .path("properties"))
                    .put("password", "not-" + password);
            GatehouseApi.Response refused = call("PUT", gw.path(), CI_TOKEN, TestGateway.text(wrong));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.raw()).doesNotContain("not-" + password).doesNotContain(pfx.substring(0, 40));

            assertThat(output.getAll()).doesNotContain(password).doesNotContain(pfx.substring(0, 40));
            call("DELETE", gw.path(), CI_TOKEN, null, "Prefer", "wait=10");
        }
    }

    @Test
    void encryptedSecretsWithoutTheirKeyStopTheStartWithAClearError() throws Exception {
        try (TestCertificates ca = TestCertificates.newAuthority()) {
            TestGateway gw = TestGateway.named("sec-keyless")
                    .tlsListener(ca.server("k.example.com").pfxBase64("pw"), "pw")
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(9, "127.0.0.1");
            assertThat(call("PUT", gw.path(), CI_TOKEN, gatewayJson(gw), "Prefer", "wait=10")
                            .status())
                    .isEqualTo(201);
            for (String[] key : new String[][] {
                {}, {"--gatehouse.security.encryption-key=" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}
            }) {
                List<String> args = new ArrayList<>(List.of(
                        "--server.port=0",
                        "--spring.datasource.url=jdbc:h2:file:" + DATA.resolve("gatehouse") + ";DB_CLOSE_ON_EXIT=FALSE",
                        "--gatehouse.security.api-keys[0].name=x",
                        "--gatehouse.security.api-keys[0].role=Reader",
                        "--gatehouse.security.api-keys[0].hash=" + ApiKeys.hash("gh_x")));
                args.addAll(List.of(key));
                assertThatThrownBy(() -> new SpringApplicationBuilder(GatehouseApplication.class)
                                .run(args.toArray(String[]::new)))
                        .rootCause()
                        .hasMessageContaining("encrypted")
                        .hasMessageContaining("gatehouse.security.encryption-key");
            }
            call("DELETE", gw.path(), CI_TOKEN, null, "Prefer", "wait=10");
        }
    }

    @Test
    void listenersOutsideThePolicyAreRefusedWithThePath() {
        for (int bad : new int[] {65201, port, 61001, 80}) {
            TestGateway gw =
                    TestGateway.named("sec-policy").listen("127.0.0.1", bad).backends(9, "127.0.0.1");
            GatehouseApi.Response r = call("PUT", gw.path(), CI_TOKEN, gatewayJson(gw));
            assertThat(r.status()).as(bad + ": " + r).isEqualTo(400);
            assertThat(r.json().path("error").path("details").toString())
                    .contains("ListenerNotAllowed")
                    .contains("properties.listeners[0].properties.frontendPort");
        }
        TestGateway allowed =
                TestGateway.named("sec-policy").listen("127.0.0.1", 65300).backends(9, "127.0.0.1");
        assertThat(call("POST", allowed.path() + "/validate", CI_TOKEN, gatewayJson(allowed))
                        .status())
                .as("65300 is reserved even when allowed-ports lists it")
                .isEqualTo(400);
    }

    @Test
    void bodiesCollectionsAndGatewayCountsAreCapped() {
        TestGateway gw = TestGateway.named("sec-limits")
                .listen("127.0.0.1", FreePorts.next())
                .backends(9, "127.0.0.1");
        String huge = "{\"location\":\"" + "x".repeat(70_000) + "\",\"properties\":{}}";
        GatehouseApi.Response tooLarge = call("PUT", gw.path(), CI_TOKEN, huge);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("RequestBodyTooLarge");
        // Chunked: no Content-Length, the cap applies while reading.
        HttpRequest chunked = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + gw.path() + "?" + GatehouseApi.API_VERSION))
                .header("Authorization", "Bearer " + CI_TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                .build();
        try {
            HttpResponse<String> r = http.send(chunked, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).contains("RequestBodyTooLarge");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }

        ObjectNode many = gw.json();
        var ports = (ArrayNode) many.path("properties").path("frontendPorts");
        for (int i = 0; i < 6; i++) {
            ports.addObject().put("name", "extra" + i).putObject("properties").put("port", 20000 + i);
        }
        GatehouseApi.Response tooMany = call("PUT", gw.path(), CI_TOKEN, TestGateway.text(many));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().path("error").path("details").toString())
                .contains("TooManyItems")
                .contains("\"properties.frontendPorts\"");

        List<String> created = new ArrayList<>();
        GatehouseApi.Response refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            TestGateway q = TestGateway.named("sec-quota-" + i)
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(9, "127.0.0.1");
            GatehouseApi.Response r = call("PUT", q.path(), CI_TOKEN, gatewayJson(q));
            if (r.status() == 409) {
                refused = r;
            } else {
                assertThat(r.status()).isEqualTo(201);
                created.add(q.path());
            }
        }
        assertThat(refused).as("the 9th gateway").isNotNull();
        assertThat(refused.errorCode()).isEqualTo("QuotaExceeded");
        created.forEach(p -> call("DELETE", p, CI_TOKEN, null));
    }

    @Test
    void aListenerTakesNoMoreThanItsConnectionCap() throws Exception {
        try (var backend = CaptureBackend.start("127.0.0.1")) {
            int listen = FreePorts.next();
            TestGateway gw =
                    TestGateway.named("sec-cap").listen("127.0.0.1", listen).backends(backend.port(), "127.0.0.1");
            assertThat(call("PUT", gw.path(), CI_TOKEN, gatewayJson(gw), "Prefer", "wait=10")
                            .status())
                    .isEqualTo(201);
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = new Socket("127.0.0.1", listen);
                    s.getOutputStream().write('x');
                    backend.accept();
                    open.add(s);
                }
                try (Socket fourth = new Socket("127.0.0.1", listen)) {
                    fourth.setSoTimeout(5_000);
                    assertThat(fourth.getInputStream().read())
                            .as("closed at once")
                            .isEqualTo(-1);
                }
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
            call("DELETE", gw.path(), CI_TOKEN, null, "Prefer", "wait=10");
        }
    }

    @Test
    void theCliSendsItsToken() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        String[] args = {
            "get",
            "--url",
            "http://127.0.0.1:" + port,
            "-s",
            TestGateway.SUBSCRIPTION,
            "-g",
            TestGateway.RESOURCE_GROUP,
            "-n",
            "sec-cli-none"
        };
        int withToken = Cli.main(
                concat(args, "--token", AUDITOR_TOKEN), new java.io.PrintStream(out), new java.io.PrintStream(err));
        int without = Cli.main(args, new PrintStream(out), new PrintStream(err));
        assertThat(withToken).as(err.toString()).isEqualTo(4);
        assertThat(without).isEqualTo(1);
        assertThat(err.toString()).contains("AuthenticationFailed");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private String storedDocument(String name) throws Exception {
        try (Connection c = dataSource.getConnection();
                var s = c.prepareStatement("select document from application_gateway where name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    @Test
    void theDashboardPageIsOpenButItsDataNeedsTheReaderRoleForEverySubscription() throws Exception {
        assertThat(call("GET", "/", null, null).status()).isEqualTo(200);
        assertThat(call("GET", "/dashboard/vendor/uplot/uPlot.iife.min.js", null, null)
                        .status())
                .isEqualTo(200);

        GatehouseApi.Response anonymous = call("GET", "/dashboard/api/summary", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errorCode()).isEqualTo("AuthenticationFailed");
        GatehouseApi.Response scoped = call("GET", "/dashboard/api/summary", CI_TOKEN, null);
        assertThat(scoped.status()).as("a Contributor of one subscription").isEqualTo(403);
        assertThat(scoped.errorCode()).isEqualTo("AuthorizationFailed");

        String reader = jwt(List.of("Reader"), Instant.now().plusSeconds(300), SIGNING, "api://gatehouse");
        GatehouseApi.Response everywhere = call("GET", "/dashboard/api/summary", reader, null);
        assertThat(everywhere.status()).as(everywhere.toString()).isEqualTo(200);
        assertThat(everywhere.json().has("gateways")).isTrue();
    }
}
