package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code backend-health} (or {@code health}): every pool, settings and server with its probe result. */
@Command(
        name = "backend-health",
        aliases = "health",
        description = {"Backend health of every pool and server."})
final class BackendHealthCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    GatewayOptions gateway;

    @Mixin
    DocumentFile document;

    private final Terminal terminal;

    BackendHealthCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Output output = connection.output(terminal);
        RestClient api = connection.client();
        RestClient.Response r = api.post(gateway.path(document.readOrNull(terminal.in()), true) + "/backendhealth", "");
        if (!r.ok()) {
            return output.failure(r);
        }
        output.health(r.json());
        return ExitCode.OK;
    }
}
