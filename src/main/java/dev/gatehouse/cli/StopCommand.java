package dev.gatehouse.cli;

import picocli.CommandLine.Command;

/** {@code stop}: POSTs the gateway's {@code stop} action. */
@Command(
        name = "stop",
        description = {
            "Stop the gateway: its listeners stop accepting and open connections drain; operationalState Stopped."
        })
final class StopCommand extends GatewayAction {

    StopCommand(Terminal terminal) {
        super(terminal, "stop");
    }
}
