package dev.gatehouse.cli;

/** The CLI's help text; docs/cli.md says the same at length. */
final class Usage {

    static final String TEXT = """
            usage: gatehouse <command> [options]      (or: java -jar gatehouse.jar <command> [options])

            commands:
              apply -f FILE [--wait] [--timeout 120s] [--if-match ETAG]
                                   PUT the gateway document (FILE or - for stdin); --wait polls its
                                   Azure-AsyncOperation until the data plane serves it
              get                  print the gateway
              delete [--wait] [--if-match ETAG]
                                   delete the gateway (--wait: until its listeners are closed)
              validate -f FILE     what a PUT would change (Create/Modify/Delete/NoChange); stores nothing
              wait [--timeout 120s]
                                   until the gateway's current generation is applied
              health               backend health of every pool and server
              keygen [--name N] [--role Reader|Contributor] [--scope /subscriptions/ID[/resourceGroups/RG]]
                                   a new API key: the token, and the configuration holding its hash
              version, --version   the version of this build
              help                 this text

            options:
              --url URL                  the API (default http://127.0.0.1:8080; env GATEHOUSE_URL)
              -s, --subscription ID      (env GATEHOUSE_SUBSCRIPTION)
              -g, --resource-group NAME  (env GATEHOUSE_RESOURCE_GROUP)
              -n, --name NAME            the gateway; missing ones are taken from the id and name of
                                         the document given with -f (any command)
              -o, --output json|table    json (default; the API's own JSON) or a human table
              --api-version VERSION      default 2025-03-01
              --token TOKEN              bearer token (API key or JWT; env GATEHOUSE_TOKEN)

            exit codes:
              0 ok   1 other error (server unreachable, 5xx)   2 invalid request or command line
              3 precondition failed or conflict (412, 409, operation Canceled)   4 not found
              5 --wait or wait timed out   6 stored but the data plane could not apply it (Failed)""";

    private Usage() {
    }
}
