package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code start}: POSTs the gateway's {@code start} action. */
@Command(
        name = "start",
        description = {"Start the gateway again: its listeners bind; operationalState Running."})
final class StartCommand implements Callable<Integer> {

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

    StartCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        return GatewayAction.run("start", terminal, connection, gateway, document, waiting);
    }
}
