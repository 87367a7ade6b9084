package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code export}: the gateway as an ARM deployment template, without secrets, that {@code apply} takes back. */
@Command(
        name = "export",
        description = {
            "Print the gateway as an ARM deployment template: no ids, etags or status, "
                    + "certificate secrets as securestring parameters. apply -f TEMPLATE -p NAME=VALUE applies it again."
        })
final class ExportCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    GatewayOptions gateway;

    private final Terminal terminal;

    ExportCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Output output = connection.output(terminal);
        RestClient api = connection.client();
        RestClient.Response r = api.get(gateway.path());
        if (!r.ok()) {
            return output.failure(r);
        }
        // A template is a document to keep, so it is JSON whatever --output says.
        terminal.out().println(Output.pretty(ArmTemplate.of(r.json(), connection.apiVersion)));
        return ExitCode.OK;
    }
}
