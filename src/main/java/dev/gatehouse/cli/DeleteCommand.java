package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code delete}: deletes the gateway; deleting one that does not exist is a success, as in ARM. */
@Command(
        name = "delete",
        description = {"Delete the gateway (--wait: until its listeners are closed)."})
final class DeleteCommand implements Callable<Integer> {

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

    @Option(names = "--if-match", paramLabel = "ETAG", description = "Delete only if the gateway still has this etag.")
    String ifMatch;

    private final Terminal terminal;

    DeleteCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Output output = connection.output(terminal);
        RestClient api = connection.client();
        String path = gateway.path(document.readOrNull(terminal.in()), true);
        RestClient.Response r = api.delete(path, ifMatch);
        if (!r.ok()) {
            return output.failure(r);
        }
        if (r.status() == 204) {
            terminal.note("there was no gateway at " + path + "; nothing to delete");
            return ExitCode.OK;
        }
        if (waiting.wait && r.status() == 202) {
            return new OperationWaiter(terminal, api, output).await(r, waiting.timeout(), "delete " + path, null);
        }
        output.message("deleted " + path);
        return ExitCode.OK;
    }
}
