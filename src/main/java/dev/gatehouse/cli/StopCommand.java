package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stop}: POSTs the gateway's {@code stop} action. */
@Command(
        name = "stop",
        description = {
            "Stop the gateway: its listeners stop accepting and open connections drain; operationalState Stopped."
        })
final class StopCommand implements Callable<Integer> {

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

    StopCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        return GatewayAction.run("stop", terminal, connection, gateway, document, waiting);
    }
}
