package dev.gatehouse.cli;

import picocli.CommandLine.Command;

/** {@code start}: POSTs the gateway's {@code start} action. */
@Command(
        name = "start",
        description = {"Start the gateway again: its listeners bind; operationalState Running."})
final class StartCommand extends GatewayAction {

    StartCommand(Terminal terminal) {
        super(terminal, "start");
    }
}
