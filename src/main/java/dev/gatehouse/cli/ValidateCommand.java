package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code validate -f FILE}: what a PUT would change, without storing anything. */
@Command(
        name = "validate",
        description = {"What a PUT would change (Create/Modify/Delete/NoChange); stores nothing."})
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    GatewayOptions gateway;

    @Mixin
    DocumentFile document;

    private final Terminal terminal;

    ValidateCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Output output = connection.output(terminal);
        RestClient api = connection.client();
        String body = document.require("validate", terminal.in());
        RestClient.Response r = api.post(gateway.path(body, true) + "/validate", body);
        if (!r.ok()) {
            return output.failure(r);
        }
        output.whatIf(r.json());
        return ExitCode.OK;
    }
}
