package dev.gatehouse.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apply -f FILE}: PUTs a gateway document, or the gateway of an ARM template such as export writes. */
@Command(
        name = "apply",
        description = {
            "PUT the gateway document (or the application gateway of an ARM deployment "
                    + "template, with its --parameter values). --wait polls its Azure-AsyncOperation until the data plane "
                    + "serves it."
        })
final class ApplyCommand implements Callable<Integer> {

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

    @Option(names = "--if-match", paramLabel = "ETAG", description = "Write only if the gateway still has this etag.")
    String ifMatch;

    @Option(
            names = {"-p", "--parameter"},
            paramLabel = "NAME=VALUE",
            description = "A template parameter; VALUE @FILE reads a file (env GATEHOUSE_PARAMETER_<NAME>).")
    Map<String, String> parameters = new LinkedHashMap<>();

    private final Terminal terminal;

    ApplyCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Output output = connection.output(terminal);
        RestClient api = connection.client();
        String body = document.require("apply", terminal.in());
        if (ArmTemplate.isTemplate(body)) {
            body = ArmTemplate.gateway(body, new TemplateParameters(parameters, terminal.env()));
        } else if (!parameters.isEmpty()) {
            throw new UsageException("--parameter is for ARM templates; " + document.file + " is a gateway document");
        }
        String path = gateway.path(body, true);
        RestClient.Response put = api.put(path, body, ifMatch);
        if (!put.ok()) {
            return output.failure(put);
        }
        if (!waiting.wait) {
            output.gateway(put.json());
            return ExitCode.OK;
        }
        return new OperationWaiter(terminal, api, output).await(put, waiting.timeout(), "apply " + path, path);
    }
}
