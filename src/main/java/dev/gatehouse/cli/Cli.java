package dev.gatehouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command-line client, in the same jar as the server: {@code java -jar gatehouse.jar apply -f gw.json --wait}.
 * It speaks only the documented REST API, so what it does a curl script can do too. Exit codes are part of
 * its contract (see {@link ExitCode} and docs/cli.md).
 */
public final class Cli {

    static final Set<String> COMMANDS = Set.of("apply", "get", "delete", "validate", "wait", "health", "keygen", "help",
            "version", "--version");
    private static final Pattern ID = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/applicationGateways/([^/]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;

    Cli(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
    }

    /**
     * Whether {@code args} ask for the CLI rather than the server (whose arguments all start with "--";
     * {@code --version} is the CLI's).
     */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    public static int main(String[] args, PrintStream out, PrintStream err) {
        return new Cli(out, err, System.in, System.getenv()).run(args);
    }

    int run(String[] args) {
        CliArguments a;
        try {
            a = CliArguments.parse(Arrays.asList(args), env);
        } catch (CliArguments.UsageException e) {
            err.println("gatehouse: " + e.getMessage());
            err.println(Usage.TEXT);
            return ExitCode.INVALID;
        }
        if (a.command.equals("help") || a.flag("help")) {
            out.println(Usage.TEXT);
            return ExitCode.OK;
        }
        if (a.command.equals("version") || a.command.equals("--version")) {
            out.println("gatehouse " + Version.current());
            return ExitCode.OK;
        }
        Output output;
        try {
            output = Output.of(a.get("output", "json"), out, err);
            RestClient api = new RestClient(a.get("url", "http://127.0.0.1:8080"), a.get("api-version", "2025-03-01"),
                    a.get("token"));
            return switch (a.command) {
                case "apply" -> apply(a, api, output);
                case "get" -> get(a, api, output);
                case "delete" -> delete(a, api, output);
                case "validate" -> validate(a, api, output);
                case "wait" -> waitFor(a, api, output);
                case "health" -> health(a, api, output);
                case "keygen" -> KeyGen.run(a, out);
                default -> throw new CliArguments.UsageException("unknown command '" + a.command + "'");
            };
        } catch (CliArguments.UsageException e) {
            err.println("gatehouse: " + e.getMessage());
            return ExitCode.INVALID;
        } catch (RestClient.Unreachable e) {
            err.println("gatehouse: " + e.getMessage());
            return ExitCode.OTHER;
        }
    }

    private int apply(CliArguments a, RestClient api, Output output) {
        String body = readDocument(a.require("file"));
        String path = gatewayPath(a, body);
        RestClient.Response put = api.put(path, body, a.get("if-match"));
        if (!put.ok()) {
            return output.failure(put);
        }
        if (!a.flag("wait")) {
            output.gateway(put.json());
            return ExitCode.OK;
        }
        return awaitOperation(api, put, a.timeout(DEFAULT_TIMEOUT), output, path);
    }

    private int get(CliArguments a, RestClient api, Output output) {
        RestClient.Response r = api.get(gatewayPath(a));
        if (!r.ok()) {
            return output.failure(r);
        }
        output.gateway(r.json());
        return ExitCode.OK;
    }

    private int delete(CliArguments a, RestClient api, Output output) {
        String path = gatewayPath(a);
        RestClient.Response r = api.delete(path, a.get("if-match"));
        if (!r.ok()) {
            return output.failure(r);
        }
        if (r.status() == 204) {
            err.println("gatehouse: there was no gateway at " + path + "; nothing to delete");
            return ExitCode.OK;
        }
        if (a.flag("wait") && r.status() == 202) {
            return awaitOperation(api, r, a.timeout(DEFAULT_TIMEOUT), output, null);
        }
        output.message("deleted " + path);
        return ExitCode.OK;
    }

    private int validate(CliArguments a, RestClient api, Output output) {
        String body = readDocument(a.require("file"));
        RestClient.Response r = api.post(gatewayPath(a, body) + "/validate", body);
        if (!r.ok()) {
            return output.failure(r);
        }
        output.whatIf(r.json());
        return ExitCode.OK;
    }

    /** Waits until the gateway's current generation is applied: Succeeded (0), Failed (6) or timeout (5). */
    private int waitFor(CliArguments a, RestClient api, Output output) {
        String path = gatewayPath(a);
        Poller poller = new Poller(a.timeout(DEFAULT_TIMEOUT));
        while (true) {
            RestClient.Response r = api.get(path);
            if (!r.ok()) {
                return output.failure(r);
            }
            String state = r.json().path("properties").path("provisioningState").asString();
            if (!"Updating".equals(state)) {
                output.gateway(r.json());
                return "Succeeded".equals(state) ? ExitCode.OK : ExitCode.APPLY_FAILED;
            }
            if (!poller.sleep(null)) {
                err.println("gatehouse: " + path + " is still Updating after " + poller.timeout().toSeconds() + " s");
                return ExitCode.TIMED_OUT;
            }
        }
    }

    private int health(CliArguments a, RestClient api, Output output) {
        RestClient.Response r = api.post(gatewayPath(a) + "/backendhealth", "");
        if (!r.ok()) {
            return output.failure(r);
        }
        output.health(r.json());
        return ExitCode.OK;
    }

    /**
     * Polls the write's Azure-AsyncOperation URL until it settles. Succeeded prints the gateway as it now is
     * ({@code gatewayPath}; none for a delete) and exits 0; Failed or Canceled print the operation's error.
     */
    private int awaitOperation(RestClient api, RestClient.Response accepted, Duration timeout, Output output,
            String gatewayPath) {
        String operation = accepted.header("Azure-AsyncOperation");
        if (operation == null) {
            err.println("gatehouse: the server answered " + accepted.status() + " without an Azure-AsyncOperation URL");
            return ExitCode.OTHER;
        }
        Poller poller = new Poller(timeout);
        while (true) {
            RestClient.Response r = api.getUrl(operation);
            if (!r.ok()) {
                return output.failure(r);
            }
            String status = r.json().path("status").asString();
            switch (status) {
                case "Succeeded" -> {
                    if (gatewayPath == null) {
                        output.message("deleted " + r.json().path("resourceId").asString());
                        return ExitCode.OK;
                    }
                    RestClient.Response now = api.get(gatewayPath);
                    if (!now.ok()) {
                        return output.failure(now);
                    }
                    output.gateway(now.json());
                    return ExitCode.OK;
                }
                case "Failed", "Canceled" -> {
                    output.operationFailed(r.json());
                    return "Failed".equals(status) ? ExitCode.APPLY_FAILED : ExitCode.CONFLICT;
                }
                default -> {
                    if (!poller.sleep(r.header("Retry-After"))) {
                        err.println("gatehouse: operation " + operation + " still InProgress after "
                                + poller.timeout().toSeconds() + " s");
                        return ExitCode.TIMED_OUT;
                    }
                }
            }
        }
    }

    private String readDocument(String file) {
        try {
            byte[] bytes = file.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(file));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliArguments.UsageException("no such file: " + file);
        } catch (IOException e) {
            throw new CliArguments.UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The gateway's ARM path for commands that send no document; -f still names the gateway by its id. */
    private String gatewayPath(CliArguments a) {
        String file = a.get("file");
        return gatewayPath(a, file == null ? null : readDocument(file));
    }

    /**
     * The gateway's ARM path: from --subscription, --resource-group and --name, each falling back to the
     * document's {@code id} (and its {@code name}) so an exported ARM document applies as it is.
     */
    private static String gatewayPath(CliArguments a, String document) {
        String subscription = a.get("subscription");
        String group = a.get("resource-group");
        String name = a.get("name");
        if (document != null) {
            JsonNode doc;
            try {
                doc = JSON.readTree(document);
            } catch (JacksonException e) {
                doc = null; // the server reports the precise JSON error (exit 2)
            }
            if (doc != null) {
                Matcher id = ID.matcher(doc.path("id").asString(""));
                if (id.find()) {
                    subscription = subscription == null ? id.group(1) : subscription;
                    group = group == null ? id.group(2) : group;
                    name = name == null ? id.group(3) : name;
                }
                String docName = doc.path("name").asString(null);
                name = name == null ? docName : name;
            }
        }
        if (subscription == null || group == null || name == null) {
            throw new CliArguments.UsageException("which gateway? give --subscription, --resource-group and --name"
                    + " (or GATEHOUSE_SUBSCRIPTION / GATEHOUSE_RESOURCE_GROUP, or an 'id' in the document)");
        }
        return "/subscriptions/" + subscription + "/resourceGroups/" + group
                + "/providers/Microsoft.Network/applicationGateways/" + name;
    }

    /** Polls quickly at first (most applies take milliseconds), then as the server's Retry-After asks. */
    private static final class Poller {
        private final long deadline;
        private final Duration timeout;
        private long delayMillis = 50;

        Poller(Duration timeout) {
            this.timeout = timeout;
            this.deadline = System.nanoTime() + timeout.toNanos();
        }

        Duration timeout() {
            return timeout;
        }

        /** Sleeps before the next poll; false when the deadline has passed. */
        boolean sleep(String retryAfter) {
            long max = 1000;
            if (retryAfter != null && retryAfter.matches("\\d{1,4}")) {
                max = Math.max(50, Long.parseLong(retryAfter) * 1000);
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.min(Math.min(delayMillis, max), remaining));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            delayMillis = Math.min(delayMillis * 2, max);
            return true;
        }
    }
}
