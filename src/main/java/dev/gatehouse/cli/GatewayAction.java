package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A POST action on the gateway ({@code stop}, {@code start}): 200 with the gateway once done, or 202 with an
 * operation that {@code --wait} follows. Each action is a subclass that names it.
 */
abstract class GatewayAction implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    GatewayOptions gateway;

    @Mixin
    DocumentFile document;

    @Mixin
    WaitOptions waiting;

    private final Terminal terminal;
    private final String action;

    GatewayAction(Terminal terminal, String action) {
        this.terminal = terminal;
        this.action = action;
    }

    @Override
    public Integer call() {
        Output output = connection.output(terminal);
        RestClient api = connection.client();
        String path = gateway.path(document.readOrNull(terminal.in()), true);
        RestClient.Response r = api.post(path + "/" + action, "");
        if (!r.ok()) {
            return output.failure(r);
        }
        if (r.status() != 202) {
            output.gateway(r.json());
            return ExitCode.OK;
        }
        if (waiting.wait) {
            return new OperationWaiter(terminal, api, output).await(r, waiting.timeout(), action + " " + path, path);
        }
        terminal.note(action + " " + path + " accepted; --wait waits until it is applied");
        return ExitCode.OK;
    }
}
