package dev.gatehouse.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the CLI prints: the server's JSON as it is ({@code --output json}, the default, for jq) or short
 * human tables ({@code --output table}). Errors go to stderr in the same form.
 */
abstract sealed class Output permits Output.Json, Output.Table {

    static final String GATEWAY_TYPE = "Microsoft.Network/applicationGateways";
    private static final JsonMapper PRETTY =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    final PrintStream out;
    final PrintStream err;

    Output(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static Output of(String format, PrintStream out, PrintStream err) {
        return switch (format) {
            case "json" -> new Json(out, err);
            case "table" -> new Table(out, err);
            default -> throw new UsageException("--output must be json or table, not '" + format + "'");
        };
    }

    abstract void gateway(JsonNode gateway);

    /** A list envelope of gateways ({@code value}). */
    abstract void gateways(JsonNode page);

    /** A child resource (a listener, a pool...). */
    abstract void child(JsonNode child);

    /** A gateway or a child, told apart by its ARM type. */
    void resource(JsonNode resource) {
        if (GATEWAY_TYPE.equalsIgnoreCase(resource.path("type").asString(""))) {
            gateway(resource);
        } else {
            child(resource);
        }
    }

    abstract void whatIf(JsonNode whatIf);

    abstract void health(JsonNode health);

    /** An operation that ended Failed or Canceled: its error on stderr. */
    abstract void operationFailed(JsonNode operation);

    abstract void error(JsonNode body, int status);

    void message(String text) {
        err.println("gatehouse: " + text);
    }

    /** Prints the error answer and returns its exit code. */
    int failure(RestClient.Response r) {
        error(r.json(), r.status());
        return ExitCode.ofHttpStatus(r.status());
    }

    static String pretty(JsonNode node) {
        return PRETTY.writeValueAsString(node);
    }

    static final class Json extends Output {
        Json(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        void gateway(JsonNode gateway) {
            out.println(pretty(gateway));
        }

        @Override
        void gateways(JsonNode page) {
            out.println(pretty(page));
        }

        @Override
        void child(JsonNode child) {
            out.println(pretty(child));
        }

        @Override
        void whatIf(JsonNode whatIf) {
            out.println(pretty(whatIf));
        }

        @Override
        void health(JsonNode health) {
            out.println(pretty(health));
        }

        @Override
        void operationFailed(JsonNode operation) {
            err.println(pretty(operation));
        }

        @Override
        void error(JsonNode body, int status) {
            err.println(pretty(body));
        }
    }

    static final class Table extends Output {
        Table(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        void gateway(JsonNode g) {
            JsonNode p = g.path("properties");
            print(
                    out,
                    List.of("NAME", "PROVISIONING", "OPERATIONAL", "GENERATION", "LISTENERS", "ERROR"),
                    List.of(List.of(
                            g.path("name").asString(),
                            p.path("provisioningState").asString(),
                            p.path("operationalState").asString(),
                            p.path("generation").asString(),
                            String.valueOf(p.path("listeners").size()),
                            p.path("provisioningError").path("message").asString(""))));
        }

        @Override
        void gateways(JsonNode page) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode g : page.path("value")) {
                JsonNode p = g.path("properties");
                rows.add(List.of(
                        g.path("name").asString(),
                        resourceGroup(g.path("id").asString()),
                        g.path("location").asString(),
                        p.path("provisioningState").asString(),
                        p.path("operationalState").asString(),
                        p.path("generation").asString()));
            }
            print(
                    out,
                    List.of("NAME", "RESOURCE GROUP", "LOCATION", "PROVISIONING", "OPERATIONAL", "GENERATION"),
                    rows);
        }

        @Override
        void child(JsonNode child) {
            print(
                    out,
                    List.of("NAME", "TYPE", "ETAG"),
                    List.of(List.of(
                            child.path("name").asString(),
                            child.path("type").asString(),
                            child.path("etag").asString(""))));
        }

        @Override
        void whatIf(JsonNode whatIf) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode c : whatIf.path("changes")) {
                rows.add(List.of(
                        c.path("changeType").asString(), c.path("resourceId").asString()));
            }
            print(out, List.of("CHANGE", "RESOURCE"), rows);
        }

        @Override
        void health(JsonNode health) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode pool : health.path("backendAddressPools")) {
                String poolName =
                        last(pool.path("backendAddressPool").path("id").asString());
                for (JsonNode settings : pool.path("backendHttpSettingsCollection")) {
                    String settingsName =
                            last(settings.path("backendHttpSettings").path("id").asString());
                    for (JsonNode server : settings.path("servers")) {
                        rows.add(List.of(
                                poolName,
                                settingsName,
                                server.path("address").asString(),
                                server.path("health").asString(),
                                server.path("healthProbeLog").asString("")));
                    }
                }
            }
            print(out, List.of("POOL", "SETTINGS", "SERVER", "HEALTH", "LOG"), rows);
        }

        @Override
        void operationFailed(JsonNode operation) {
            err.println("operation " + operation.path("name").asString() + ": "
                    + operation.path("status").asString());
            printError(operation.path("error"));
        }

        @Override
        void error(JsonNode body, int status) {
            JsonNode error = body.path("error");
            if (error.isMissingNode()) {
                err.println("HTTP " + status + ": " + (body.isString() ? body.asString() : pretty(body)));
                return;
            }
            printError(error);
        }

        private void printError(JsonNode error) {
            err.println(
                    error.path("code").asString() + ": " + error.path("message").asString());
            for (JsonNode d : error.path("details")) {
                err.println("  " + (d.has("target") ? d.path("target").asString() + ": " : "")
                        + d.path("code").asString() + ": " + d.path("message").asString());
            }
        }

        private static String resourceGroup(String id) {
            String[] parts = id.split("/");
            for (int i = 0; i + 1 < parts.length; i++) {
                if (parts[i].equalsIgnoreCase("resourceGroups")) {
                    return parts[i + 1];
                }
            }
            return "";
        }

        private static String last(String id) {
            return id.substring(id.lastIndexOf('/') + 1);
        }

        static void print(PrintStream out, List<String> header, List<List<String>> rows) {
            int[] width = new int[header.size()];
            for (int i = 0; i < header.size(); i++) {
                width[i] = header.get(i).length();
                for (List<String> row : rows) {
                    width[i] = Math.max(width[i], row.get(i).length());
                }
            }
            List<List<String>> all = new ArrayList<>();
            all.add(header);
            all.addAll(rows);
            for (List<String> row : all) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.size(); i++) {
                    line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + width[i] + "s  ", row.get(i)));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}
