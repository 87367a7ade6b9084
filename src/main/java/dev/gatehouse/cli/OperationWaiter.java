package dev.gatehouse.cli;

import java.time.Duration;
import java.util.Objects;

/**
 * Follows a write's {@code Azure-AsyncOperation} URL until it settles, with a line on stderr per change of its
 * status ({@code InProgress…}, {@code Succeeded after 1.2 s}); stdout gets only the result.
 */
final class OperationWaiter {

    private final Terminal terminal;
    private final RestClient api;
    private final Output output;

    OperationWaiter(Terminal terminal, RestClient api, Output output) {
        this.terminal = terminal;
        this.api = api;
        this.output = output;
    }

    /**
     * Waits for the operation {@code accepted} announced. Succeeded prints {@code resultPath} as it now is (nothing
     * when null, as after a delete) and is exit 0; Failed is 6, Canceled 3, the timeout 5.
     */
    int await(RestClient.Response accepted, Duration timeout, String what, String resultPath) {
        String operation = accepted.header("Azure-AsyncOperation");
        if (operation == null) {
            terminal.note("the server answered " + accepted.status() + " without an Azure-AsyncOperation URL");
            return ExitCode.OTHER;
        }
        Poller poller = new Poller(timeout);
        String last = null;
        while (true) {
            RestClient.Response r = api.getUrl(operation);
            if (!r.ok()) {
                return output.failure(r);
            }
            String status = r.json().path("status").asString();
            switch (status) {
                case "Succeeded" -> {
                    terminal.note(what + ": Succeeded after " + poller.elapsed());
                    return resultPath == null ? ExitCode.OK : print(resultPath);
                }
                case "Failed", "Canceled" -> {
                    terminal.note(what + ": " + status + " after " + poller.elapsed());
                    output.operationFailed(r.json());
                    return "Failed".equals(status) ? ExitCode.APPLY_FAILED : ExitCode.CONFLICT;
                }
                default -> {
                    if (!Objects.equals(status, last)) {
                        terminal.note(what + ": " + status + "\u2026");
                        last = status;
                    }
                    if (!poller.sleep(r.header("Retry-After"))) {
                        terminal.note("operation " + operation + " still " + status + " after "
                                + poller.timeout().toSeconds() + " s");
                        return ExitCode.TIMED_OUT;
                    }
                }
            }
        }
    }

    /** Prints {@code path} as the server has it now: the result of a successful wait. */
    private int print(String path) {
        RestClient.Response now = api.get(path);
        if (!now.ok()) {
            return output.failure(now);
        }
        output.resource(now.json());
        return ExitCode.OK;
    }
}
