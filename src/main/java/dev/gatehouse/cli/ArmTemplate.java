package dev.gatehouse.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A gateway as an ARM deployment template and back. {@link #of} drops what the server computes (ids, etags,
 * types, provisioning and operational state, generation, conditions, instances, publicCertData) and turns each
 * SSL certificate's {@code data} and {@code password} into {@code securestring} parameters; {@link #gateway}
 * takes the one application gateway out of such a template, with the parameters' values, as a PUT body.
 * Strings starting with "[" are escaped as "[[" (ARM's rule), so only {@code [parameters('x')]} is an expression.
 */
final class ArmTemplate {

    static final String SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
    private static final Set<String> READ_ONLY = Set.of(
            "provisioningState", "operationalState", "provisioningError", "generation", "conditions", "instances");
    private static final Set<String> READ_ONLY_CHILD = Set.of("id", "etag", "type");
    private static final Pattern PARAMETER = Pattern.compile("\\[parameters\\('([^']+)'\\)\\]");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ArmTemplate() {}

    /** The template for {@code gateway} (a GET answer), its resource declared with {@code apiVersion}. */
    static ObjectNode of(JsonNode gateway, String apiVersion) {
        ObjectNode template = JSON.createObjectNode();
        template.put("$schema", SCHEMA);
        template.put("contentVersion", "1.0.0.0");
        ObjectNode parameters = template.putObject("parameters");
        ObjectNode resource = template.putArray("resources").addObject();
        resource.put("type", Output.GATEWAY_TYPE);
        resource.put("apiVersion", apiVersion);
        resource.put("name", escape(gateway.path("name")).asString());
        for (String field : List.of("location", "tags", "zones")) {
            if (gateway.has(field)) {
                resource.set(field, escape(gateway.get(field)));
            }
        }
        ObjectNode properties = (ObjectNode) escape(gateway.path("properties").deepCopy());
        properties.remove(READ_ONLY);
        for (JsonNode collection : properties) {
            if (collection.isArray()) {
                for (JsonNode child : collection) {
                    if (child.isObject()) {
                        ((ObjectNode) child).remove(READ_ONLY_CHILD);
                    }
                }
            }
        }
        for (JsonNode certificate : properties.path("sslCertificates")) {
            if (certificate.path("properties").isObject()) {
                ObjectNode p = (ObjectNode) certificate.path("properties");
                p.remove(List.of("publicCertData", "data", "password"));
                String name = identifier(certificate.path("name").asString());
                p.put("data", secret(parameters, name + "Data", null));
                p.put("password", secret(parameters, name + "Password", ""));
            }
        }
        resource.set("properties", properties);
        return template;
    }

    /** Whether {@code document} is a deployment template (it has {@code resources}) rather than a gateway. */
    static boolean isTemplate(String document) {
        try {
            JsonNode doc = JSON.readTree(document);
            return doc.isObject() && doc.path("resources").isArray() && !doc.has("properties");
        } catch (JacksonException e) {
            return false;
        }
    }

    /** The PUT body of the template's one application gateway, its parameters replaced by their values. */
    static String gateway(String template, TemplateParameters values) {
        JsonNode doc = JSON.readTree(template);
        List<JsonNode> gateways = new ArrayList<>();
        for (JsonNode resource : doc.path("resources")) {
            if (Output.GATEWAY_TYPE.equalsIgnoreCase(resource.path("type").asString(""))) {
                gateways.add(resource);
            }
        }
        if (gateways.size() != 1) {
            throw new UsageException("the template declares " + gateways.size() + " resources of type "
                    + Output.GATEWAY_TYPE + "; apply takes exactly one");
        }
        JsonNode declared = doc.path("parameters");
        for (String name : values.givenNames()) {
            if (!declared.has(name)) {
                throw new UsageException("--parameter " + name + ": the template declares no such parameter");
            }
        }
        JsonNode resource = gateways.get(0);
        ObjectNode body = JSON.createObjectNode();
        for (String field : List.of("name", "location", "tags", "zones", "properties")) {
            if (resource.has(field)) {
                body.set(field, resolve(resource.get(field), declared, values));
            }
        }
        return JSON.writeValueAsString(body);
    }

    private static String secret(ObjectNode parameters, String name, String defaultValue) {
        ObjectNode parameter = parameters.putObject(name);
        parameter.put("type", "securestring");
        if (defaultValue != null) {
            parameter.put("defaultValue", defaultValue);
        }
        return "[parameters('" + name + "')]";
    }

    /** A parameter name made of the certificate's name: letters and digits only, so it is also an env suffix. */
    private static String identifier(String name) {
        String id = name.replaceAll("[^A-Za-z0-9]", "_");
        return id.isEmpty() || !Character.isLetter(id.charAt(0)) ? "certificate_" + id : id;
    }

    private static JsonNode escape(JsonNode node) {
        if (node.isString() && node.asString().startsWith("[")) {
            return JSON.getNodeFactory().stringNode("[" + node.asString());
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                copy.set(e.getKey(), escape(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(escape(item)));
            return copy;
        }
        return node;
    }

    private static JsonNode resolve(JsonNode node, JsonNode declared, TemplateParameters values) {
        if (node.isString()) {
            String s = node.asString();
            if (s.startsWith("[[")) {
                return JSON.getNodeFactory().stringNode(s.substring(1));
            }
            if (s.startsWith("[") && s.endsWith("]")) {
                return parameter(s, declared, values);
            }
            return node;
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                copy.set(e.getKey(), resolve(e.getValue(), declared, values));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(resolve(item, declared, values)));
            return copy;
        }
        return node;
    }

    private static JsonNode parameter(String expression, JsonNode declared, TemplateParameters values) {
        Matcher m = PARAMETER.matcher(expression);
        if (!m.matches()) {
            throw new UsageException("the template expression " + expression + " is not supported: apply resolves "
                    + "only [parameters('NAME')]");
        }
        String name = m.group(1);
        if (!declared.has(name)) {
            throw new UsageException("the template uses parameter '" + name + "' but does not declare it");
        }
        String value = values.value(name);
        if (value != null) {
            return JSON.getNodeFactory().stringNode(value);
        }
        JsonNode fallback = declared.path(name).get("defaultValue");
        if (fallback == null) {
            throw new UsageException("parameter '" + name + "' has no value: give --parameter " + name
                    + "=VALUE (or @FILE), or " + TemplateParameters.ENV_PREFIX + name);
        }
        return fallback;
    }
}
