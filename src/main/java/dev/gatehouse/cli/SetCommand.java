package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code set listener web -f body.json}: PUTs one child resource of the gateway. */
@Command(
        name = "set",
        description = {
            "PUT one child resource (FILE holds {\"properties\": {...}}); validated against "
                    + "the whole gateway and applied like a gateway write."
        })
final class SetCommand implements Callable<Integer> {

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

    @Parameters(index = "0", paramLabel = "CHILD-TYPE", description = "listener, frontendPort, probe...")
    String childType;

    @Parameters(index = "1", paramLabel = "CHILD-NAME")
    String childName;

    @Option(names = "--if-match", paramLabel = "ETAG", description = "Write only if the child still has this etag.")
    String ifMatch;

    private final Terminal terminal;

    SetCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Output output = connection.output(terminal);
        RestClient api = connection.client();
        String collection = ChildTypes.collection(childType);
        String body = document.require("set", terminal.in());
        String path = gateway.path(body, false) + "/" + collection + "/" + childName;
        RestClient.Response put = api.put(path, body, ifMatch);
        if (!put.ok()) {
            return output.failure(put);
        }
        if (!waiting.wait) {
            output.child(put.json());
            return ExitCode.OK;
        }
        return new OperationWaiter(terminal, api, output).await(put, waiting.timeout(), "set " + path, path);
    }
}
