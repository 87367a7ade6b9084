package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code wait}: until the gateway's current generation is applied: Succeeded (0), Failed (6) or timeout (5). */
@Command(
        name = "wait",
        description = {
            "Wait until the gateway's current generation is applied (after an apply "
                    + "without --wait, or after exit 5)."
        })
final class WaitCommand implements Callable<Integer> {

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

    WaitCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Output output = connection.output(terminal);
        RestClient api = connection.client();
        String path = gateway.path(document.readOrNull(terminal.in()), true);
        Poller poller = new Poller(waiting.timeout());
        boolean announced = false;
        while (true) {
            RestClient.Response r = api.get(path);
            if (!r.ok()) {
                return output.failure(r);
            }
            String state = r.json().path("properties").path("provisioningState").asString();
            if (!"Updating".equals(state)) {
                if (announced) {
                    terminal.note(path + ": " + state + " after " + poller.elapsed());
                }
                output.gateway(r.json());
                return "Succeeded".equals(state) ? ExitCode.OK : ExitCode.APPLY_FAILED;
            }
            if (!announced) {
                terminal.note(path + ": Updating\u2026");
                announced = true;
            }
            if (!poller.sleep(null)) {
                terminal.note(
                        path + " is still Updating after " + poller.timeout().toSeconds() + " s");
                return ExitCode.TIMED_OUT;
            }
        }
    }
}
