package dev.gatehouse.cli;

import picocli.CommandLine.Option;

/** How to reach the API and how to print its answers; shared by every command that calls the server. */
final class ConnectionOptions {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(
            names = {"--url", "--endpoint"},
            paramLabel = "URL",
            defaultValue = DEFAULT_URL,
            description = "The API (default ${DEFAULT-VALUE}; env GATEHOUSE_URL or GATEHOUSE_ENDPOINT).")
    String url;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "Bearer token, an API key or a JWT (env GATEHOUSE_TOKEN, preferred: arguments show in ps).")
    String token;

    @Option(
            names = "--api-version",
            paramLabel = "VERSION",
            defaultValue = "2025-03-01",
            description = "Default ${DEFAULT-VALUE}.")
    String apiVersion;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "json|table",
            defaultValue = "json",
            description = "json (default: the API's own JSON, for jq) or table (short human tables).")
    String output;

    /** The printer for {@code --output}; exit 2 for another value. */
    Output output(Terminal terminal) {
        return Output.of(output, terminal.out(), terminal.err());
    }

    RestClient client() {
        return new RestClient(url, apiVersion, token);
    }
}
