package dev.gatehouse.cli;

/**
 * A POST action on the gateway ({@code stop}, {@code start}): 200 with the gateway once done, or 202 with an
 * operation that {@code --wait} follows.
 */
final class GatewayAction {

    private GatewayAction() {}

    static int run(
            String action,
            Terminal terminal,
            ConnectionOptions connection,
            GatewayOptions gateway,
            DocumentFile document,
            WaitOptions waiting) {
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
