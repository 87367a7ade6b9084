package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code list}: the gateways of a resource group, or of the whole subscription without {@code -g}. */
@Command(
        name = "list",
        description = {"List the gateways of a resource group (-g) or of the subscription."})
final class ListCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Option(
            names = {"-s", "--subscription"},
            paramLabel = "ID",
            description = "(env GATEHOUSE_SUBSCRIPTION)")
    String subscription;

    @Option(
            names = {"-g", "--resource-group"},
            paramLabel = "NAME",
            description = "Only this resource group (env GATEHOUSE_RESOURCE_GROUP).")
    String resourceGroup;

    private final Terminal terminal;

    ListCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Output output = connection.output(terminal);
        RestClient api = connection.client();
        if (subscription == null) {
            throw new UsageException("which subscription? give --subscription (or GATEHOUSE_SUBSCRIPTION)");
        }
        String scope =
                "/subscriptions/" + subscription + (resourceGroup == null ? "" : "/resourceGroups/" + resourceGroup);
        RestClient.Response r = api.get(scope + "/providers/Microsoft.Network/applicationGateways");
        if (!r.ok()) {
            return output.failure(r);
        }
        output.gateways(r.json());
        return ExitCode.OK;
    }
}
