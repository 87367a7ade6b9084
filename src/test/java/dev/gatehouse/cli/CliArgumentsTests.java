package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a user types, and what the CLI makes of it: the request it sends (seen by a stub server on loopback)
 * or its refusal with exit code 2. Written against the command line, not the parser, so it holds whatever
 * parses the arguments.
 */
class CliArgumentsTests {

    private static final String GATEWAY =
            "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network" + "/applicationGateways/gw";

    record Run(int exit, String out, String err) {}

    record Request(String method, String path, String query, String ifMatch, String authorization, String body) {}

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String provisioningState = "Succeeded";
    private HttpServer server;
    private String url;

    @TempDir
    Path dir;

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        var headers = exchange.getRequestHeaders();
        requests.add(new Request(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getQuery(),
                headers.getFirst("If-Match"),
                headers.getFirst("Authorization"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        byte[] body = ("{\"name\":\"gw\",\"properties\":{\"provisioningState\":\"" + provisioningState + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static Run cli(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        env)
                .run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run cli(String... args) {
        return cli(Map.of(), "", args);
    }

    private Request onlyRequest(Run run) {
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    @Test
    void shortOptionsNameTheGateway() {
        Request get = onlyRequest(cli("get", "-s", "sub", "-g", "rg", "-n", "gw", "--url", url));

        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.path()).isEqualTo(GATEWAY);
        assertThat(get.query()).isEqualTo("api-version=2025-03-01");
    }

    @Test
    void longOptionsNameTheGateway() {
        Request get = onlyRequest(
                cli("get", "--subscription", "sub", "--resource-group", "rg", "--name", "gw", "--url", url));

        assertThat(get.path()).isEqualTo(GATEWAY);
    }

    @Test
    void longOptionsMayCarryTheirValueAfterAnEqualsSign() {
        Request get = onlyRequest(cli(
                "get",
                "--subscription=sub",
                "--resource-group=rg",
                "--name=gw",
                "--url=" + url,
                "--api-version=2024-01-01",
                "--token=t0k"));

        assertThat(get.path()).isEqualTo(GATEWAY);
        assertThat(get.query()).isEqualTo("api-version=2024-01-01");
        assertThat(get.authorization()).isEqualTo("Bearer t0k");
    }

    @Test
    void optionsComeInAnyOrderAfterTheCommand() {
        Request get = onlyRequest(
                cli("get", "--url", url, "-n", "gw", "--api-version", "2024-01-01", "-g", "rg", "-s", "sub"));

        assertThat(get.path()).isEqualTo(GATEWAY);
        assertThat(get.query()).isEqualTo("api-version=2024-01-01");
    }

    @Test
    void theEnvironmentGivesTheUrlTheGatewayAndTheToken() {
        Request get = onlyRequest(cli(
                Map.of(
                        "GATEHOUSE_URL",
                        url,
                        "GATEHOUSE_SUBSCRIPTION",
                        "sub",
                        "GATEHOUSE_RESOURCE_GROUP",
                        "rg",
                        "GATEHOUSE_TOKEN",
                        "from-env"),
                "",
                "get",
                "-n",
                "gw"));

        assertThat(get.path()).isEqualTo(GATEWAY);
        assertThat(get.authorization()).isEqualTo("Bearer from-env");
    }

    @Test
    void theCommandLineWinsOverTheEnvironment() {
        Request get = onlyRequest(cli(
                Map.of(
                        "GATEHOUSE_URL",
                        "http://127.0.0.1:1",
                        "GATEHOUSE_SUBSCRIPTION",
                        "other",
                        "GATEHOUSE_RESOURCE_GROUP",
                        "other",
                        "GATEHOUSE_TOKEN",
                        "from-env"),
                "",
                "get",
                "--url",
                url,
                "-s",
                "sub",
                "-g",
                "rg",
                "-n",
                "gw",
                "--token",
                "from-args"));

        assertThat(get.path()).isEqualTo(GATEWAY);
        assertThat(get.authorization()).isEqualTo("Bearer from-args");
    }

    @Test
    void aFlagTakesNoValueSoTheNextOptionIsStillRead() {
        Request delete = onlyRequest(
                cli("delete", "--wait", "-s", "sub", "-g", "rg", "-n", "gw", "--if-match", "W/\"abc\"", "--url", url));

        assertThat(delete.method()).isEqualTo("DELETE");
        assertThat(delete.path()).isEqualTo(GATEWAY);
        assertThat(delete.ifMatch()).isEqualTo("W/\"abc\"");
    }

    @Test
    void theFileOptionReadsTheDocumentFromAFileOrFromStdin() throws IOException {
        String document = "{\"id\":\"" + GATEWAY + "\",\"location\":\"local\"}";
        Path file = Files.writeString(dir.resolve("gw.json"), document);

        Run fromFile = cli("apply", "-f", file.toString(), "--url", url);
        Run fromStdin = cli(Map.of(), document, "apply", "--file", "-", "--url", url);

        assertThat(fromFile.exit()).as(fromFile.toString()).isZero();
        assertThat(fromStdin.exit()).as(fromStdin.toString()).isZero();
        assertThat(requests)
                .extracting(Request::method, Request::path, Request::body)
                .containsExactly(tuple("PUT", GATEWAY, document), tuple("PUT", GATEWAY, document));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "30s", "2m", "1h", "500ms", "PT2M", "pt2m"})
    void theTimeoutTakesSecondsMinutesHoursMillisecondsOrIso8601(String timeout) {
        Request get = onlyRequest(cli("wait", "--timeout", timeout, "-s", "sub", "-g", "rg", "-n", "gw", "--url", url));

        assertThat(get.path()).isEqualTo(GATEWAY);
    }

    @Test
    void aTimeoutInMillisecondsIsNotReadAsSeconds() {
        provisioningState = "Updating";

        Run run = cli("wait", "--timeout", "100ms", "-s", "sub", "-g", "rg", "-n", "gw", "--url", url);

        assertThat(run.exit()).as(run.toString()).isEqualTo(5);
        assertThat(run.err()).contains("still Updating");
    }

    @Test
    void theOutputIsJsonUnlessTableIsAsked() {
        Run json = cli("get", "-s", "sub", "-g", "rg", "-n", "gw", "--url", url);
        Run table = cli("get", "-s", "sub", "-g", "rg", "-n", "gw", "--url", url, "-o", "table");

        assertThat(json.exit()).isZero();
        assertThat(json.out()).startsWith("{");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).startsWith("NAME").contains("gw");
    }

    @Test
    void helpIsExit0WhicheverWayItIsAsked() {
        for (String[] args :
                List.of(new String[] {"help"}, new String[] {"get", "--help"}, new String[] {"get", "-h"})) {
            Run run = cli(args);
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).contains("usage: gatehouse");
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void noCommandIsExit2WithTheUsage() {
        Run run = cli();

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("no command given").contains("usage: gatehouse");
    }

    @Test
    void anUnknownCommandIsExit2() {
        assertRefused(cli("frobnicate", "--url", url), "unknown command 'frobnicate'");
    }

    @Test
    void anUnknownLongOptionIsExit2NamingIt() {
        assertRefused(cli("get", "--colour", "red", "--url", url), "unknown option '--colour'");
        assertRefused(cli("get", "--colour=red", "--url", url), "unknown option '--colour'");
    }

    @Test
    void anUnknownShortOptionOrAStrayValueIsExit2NamingIt() {
        assertRefused(cli("get", "-x", "--url", url), "unexpected argument '-x'");
        assertRefused(cli("get", "gw", "--url", url), "unexpected argument 'gw'");
    }

    @Test
    void anOptionWithoutItsValueIsExit2NamingIt() {
        assertRefused(cli("get", "--url", url, "--name"), "option '--name' needs a value");
        assertRefused(cli("get", "--url", url, "-n"), "option '--name' needs a value");
    }

    @Test
    void aGatewayNotFullyNamedIsExit2() {
        assertRefused(cli("get", "-n", "gw", "--url", url), "which gateway?");
    }

    @Test
    void applyWithoutAFileIsExit2() {
        assertRefused(cli("apply", "-s", "sub", "-g", "rg", "-n", "gw", "--url", url), "--file is required");
    }

    @Test
    void aMissingFileIsExit2() {
        assertRefused(cli("apply", "-f", dir.resolve("absent.json").toString(), "--url", url), "no such file");
    }

    @Test
    void badValuesAreExit2NamingTheOption() {
        String[] gateway = {"-s", "sub", "-g", "rg", "-n", "gw"};
        assertRefused(cli(concat(gateway, "wait", "--timeout", "soon", "--url", url)), "--timeout 'soon'");
        assertRefused(cli(concat(gateway, "get", "-o", "yaml", "--url", url)), "--output must be json or table");
        assertRefused(cli(concat(gateway, "get", "--url", "not a url")), "--url 'not a url'");
        assertRefused(cli("keygen", "--role", "Owner"), "--role must be Reader or Contributor");
    }

    @Test
    void endpointIsAnotherNameForUrlAndGatehouseEndpointForGatehouseUrl() {
        Run byOption = cli("get", "-s", "sub", "-g", "rg", "-n", "gw", "--endpoint", url);
        Run byEnv = cli(Map.of("GATEHOUSE_ENDPOINT", url), "", "get", "-s", "sub", "-g", "rg", "-n", "gw");

        assertThat(byOption.exit()).as(byOption.toString()).isZero();
        assertThat(byEnv.exit()).as(byEnv.toString()).isZero();
        assertThat(requests).extracting(Request::path).containsExactly(GATEWAY, GATEWAY);
    }

    @Test
    void theNewCommandsSendTheirDocumentedRequests() throws IOException {
        Path child = Files.writeString(dir.resolve("listener.json"), "{\"properties\":{\"protocol\":\"Tcp\"}}");
        String[] gw = {"-s", "sub", "-g", "rg", "-n", "gw", "--url", url};

        for (String[] args : List.of(
                new String[] {"list", "-s", "sub", "--url", url},
                new String[] {"list", "-s", "sub", "-g", "rg", "--url", url},
                concat(gw, "get", "listener", "web"),
                concat(gw, "set", "listeners", "web", "-f", child.toString()),
                concat(gw, "stop"),
                concat(gw, "start"),
                concat(gw, "backend-health"),
                concat(gw, "health"),
                concat(gw, "export"))) {
            Run run = cli(args);
            assertThat(run.exit()).as(run.toString()).isZero();
        }

        String provider = "/providers/Microsoft.Network/applicationGateways";
        assertThat(requests)
                .extracting(Request::method, Request::path)
                .containsExactly(
                        tuple("GET", "/subscriptions/sub" + provider),
                        tuple("GET", "/subscriptions/sub/resourceGroups/rg" + provider),
                        tuple("GET", GATEWAY + "/listeners/web"),
                        tuple("PUT", GATEWAY + "/listeners/web"),
                        tuple("POST", GATEWAY + "/stop"),
                        tuple("POST", GATEWAY + "/start"),
                        tuple("POST", GATEWAY + "/backendhealth"),
                        tuple("POST", GATEWAY + "/backendhealth"),
                        tuple("GET", GATEWAY));
        assertThat(requests.get(3).body()).isEqualTo("{\"properties\":{\"protocol\":\"Tcp\"}}");
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        for (String command : List.of(
                "apply",
                "get",
                "set",
                "list",
                "delete",
                "validate",
                "wait",
                "stop",
                "start",
                "backend-health",
                "export",
                "keygen",
                "completion",
                "version")) {
            Run help = cli(command, "--help");
            Run viaHelp = cli("help", command);
            assertThat(help.exit()).as(help.toString()).isZero();
            assertThat(help.out()).startsWith("usage: gatehouse " + command);
            assertThat(viaHelp.out()).isEqualTo(help.out());
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void aChildNeedsAKnownTypeAndANameAndParametersNeedATemplate() throws IOException {
        Path document = Files.writeString(dir.resolve("gw.json"), "{\"id\":\"" + GATEWAY + "\"}");
        String[] gw = {"-s", "sub", "-g", "rg", "-n", "gw", "--url", url};
        assertRefused(cli(concat(gw, "get", "listener")), "which listener?");
        assertRefused(cli(concat(gw, "get", "gadget", "web")), "unexpected argument 'gadget'");
        assertRefused(cli(concat(gw, "set", "listener", "web")), "--file is required for 'set'");
        assertRefused(cli(concat(gw, "set", "listener")), "Missing required parameter");
        assertRefused(
                cli("apply", "-f", document.toString(), "-p", "a=b", "--url", url), "--parameter is for ARM templates");
        assertRefused(cli("list", "--url", url), "which subscription?");
    }

    private void assertRefused(Run run, String message) {
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(message);
        assertThat(requests)
                .as("nothing is sent for a command line that cannot run")
                .isEmpty();
    }

    /** The command and its options first, then the gateway's name options. */
    private static String[] concat(String[] gateway, String... commandAndOptions) {
        String[] all = new String[commandAndOptions.length + gateway.length];
        System.arraycopy(commandAndOptions, 0, all, 0, commandAndOptions.length);
        System.arraycopy(gateway, 0, all, commandAndOptions.length, gateway.length);
        return all;
    }
}
