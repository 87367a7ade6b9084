package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code get}: prints the gateway, or with {@code get listener web} one of its child resources. */
@Command(
        name = "get",
        description = {"Print the gateway, or one child resource: get listener web -g RG -n GW."})
final class GetCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    GatewayOptions gateway;

    @Mixin
    DocumentFile document;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CHILD-TYPE",
            description = "listener, frontendPort, backendAddressPool, probe, routingRule, sslCertificate...")
    String childType;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CHILD-NAME")
    String childName;

    private final Terminal terminal;

    GetCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Output output = connection.output(terminal);
        RestClient api = connection.client();
        String collection = childType == null ? null : ChildTypes.collection(childType);
        if (collection != null && childName == null) {
            throw new UsageException("which " + childType + "? give its name: get " + childType + " NAME");
        }
        String path = gateway.path(document.readOrNull(terminal.in()), true);
        RestClient.Response r = api.get(collection == null ? path : path + "/" + collection + "/" + childName);
        if (!r.ok()) {
            return output.failure(r);
        }
        if (collection == null) {
            output.gateway(r.json());
        } else {
            output.child(r.json());
        }
        return ExitCode.OK;
    }
}
