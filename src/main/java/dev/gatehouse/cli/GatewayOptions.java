package dev.gatehouse.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which gateway: {@code --subscription}, {@code --resource-group} and {@code --name}, each falling back to the
 * {@code id} (and {@code name}) of a document, so an exported ARM document applies as it is.
 */
final class GatewayOptions {

    static final String PROVIDER = "/providers/Microsoft.Network/applicationGateways/";
    private static final Pattern ID = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/applicationGateways/([^/]+)",
            Pattern.CASE_INSENSITIVE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(
            names = {"-s", "--subscription"},
            paramLabel = "ID",
            description = "(env GATEHOUSE_SUBSCRIPTION)")
    String subscription;

    @Option(
            names = {"-g", "--resource-group"},
            paramLabel = "NAME",
            description = "(env GATEHOUSE_RESOURCE_GROUP)")
    String resourceGroup;

    @Option(
            names = {"-n", "--name"},
            paramLabel = "NAME",
            description = "The gateway.")
    String name;

    /** The gateway's ARM path from the options alone. */
    String path() {
        return path(null, false);
    }

    /**
     * The gateway's ARM path: the options, then what {@code document}'s ARM {@code id} names, then (when
     * {@code documentIsTheGateway}) its {@code name}. Exit 2 when still incomplete.
     */
    String path(String document, boolean documentIsTheGateway) {
        String s = subscription;
        String g = resourceGroup;
        String n = name;
        JsonNode doc = parse(document);
        if (doc != null) {
            Matcher id = ID.matcher(doc.path("id").asString(""));
            if (id.find()) {
                s = s == null ? id.group(1) : s;
                g = g == null ? id.group(2) : g;
                n = n == null ? id.group(3) : n;
            }
            if (documentIsTheGateway && n == null) {
                n = doc.path("name").asString(null);
            }
        }
        if (s == null || g == null || n == null) {
            throw new UsageException("which gateway? give --subscription, --resource-group and --name"
                    + " (or GATEHOUSE_SUBSCRIPTION / GATEHOUSE_RESOURCE_GROUP, or an 'id' in the document)");
        }
        return "/subscriptions/" + s + "/resourceGroups/" + g + PROVIDER + n;
    }

    private static JsonNode parse(String document) {
        if (document == null) {
            return null;
        }
        try {
            return JSON.readTree(document);
        } catch (JacksonException e) {
            return null; // the server reports the precise JSON error (exit 2)
        }
    }
}
