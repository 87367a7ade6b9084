package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The gateway as an ARM template ({@code export}) and the template back as a PUT body ({@code apply}). */
class ArmTemplateTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ID =
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/gw";
    private static final JsonNode GATEWAY = JSON.readTree("""
            {"id": "%1$s", "name": "gw", "type": "Microsoft.Network/applicationGateways", "etag": "W/\\"1\\"",
             "location": "westeurope", "tags": {"note": "[not an expression]"},
             "properties": {"provisioningState": "Succeeded", "operationalState": "Running", "generation": 3,
               "conditions": [], "instances": [], "provisioningError": {"code": "x"},
               "sslCertificates": [{"id": "%1$s/sslCertificates/web-cert", "name": "web-cert", "etag": "W/\\"2\\"",
                 "type": "Microsoft.Network/applicationGateways/sslCertificates",
                 "properties": {"publicCertData": "MIIB"}}],
               "listeners": [{"id": "%1$s/listeners/web", "name": "web", "properties": {"protocol": "Tls",
                 "sslCertificate": {"id": "%1$s/sslCertificates/web-cert"}}}]}}
            """.formatted(ID));

    private static JsonNode body(JsonNode template, Map<String, String> given, Map<String, String> env) {
        return JSON.readTree(
                ArmTemplate.gateway(JSON.writeValueAsString(template), new TemplateParameters(given, env)));
    }

    @Test
    void theTemplateHasNoReadOnlyPropertiesAndItsSecretsAreSecurestringParameters() {
        JsonNode template = ArmTemplate.of(GATEWAY, "2025-03-01");

        assertThat(template.path("$schema").asString()).isEqualTo(ArmTemplate.SCHEMA);
        assertThat(template.path("contentVersion").asString()).isEqualTo("1.0.0.0");
        JsonNode resource = template.path("resources").path(0);
        assertThat(resource.propertyNames())
                .containsExactly("type", "apiVersion", "name", "location", "tags", "properties");
        assertThat(resource.path("properties").propertyNames()).containsExactly("sslCertificates", "listeners");
        JsonNode certificate =
                resource.path("properties").path("sslCertificates").path(0);
        assertThat(certificate.propertyNames()).containsExactly("name", "properties");
        assertThat(certificate.path("properties").path("data").asString()).isEqualTo("[parameters('web_certData')]");
        assertThat(template.path("parameters").path("web_certData").path("type").asString())
                .isEqualTo("securestring");
        assertThat(template.path("parameters")
                        .path("web_certPassword")
                        .path("defaultValue")
                        .asString())
                .isEmpty();
        assertThat(resource.path("properties")
                        .path("listeners")
                        .path(0)
                        .path("properties")
                        .path("sslCertificate")
                        .path("id")
                        .asString())
                .as("references keep their ids")
                .isEqualTo(ID + "/sslCertificates/web-cert");
        assertThat(resource.path("tags").path("note").asString()).isEqualTo("[[not an expression]");
    }

    @Test
    void applyTakesTheGatewayBackWithTheParametersFromTheCommandLineTheEnvironmentOrTheDefault() {
        JsonNode template = ArmTemplate.of(GATEWAY, "2025-03-01");

        JsonNode fromArgs = body(template, Map.of("web_certData", "UEZY"), Map.of());
        JsonNode fromEnv = body(template, Map.of(), Map.of("GATEHOUSE_PARAMETER_web_certData", "ZW52"));

        assertThat(fromArgs.propertyNames()).containsExactly("name", "location", "tags", "properties");
        JsonNode certificate =
                fromArgs.path("properties").path("sslCertificates").path(0).path("properties");
        assertThat(certificate.path("data").asString()).isEqualTo("UEZY");
        assertThat(certificate.path("password").asString()).isEmpty();
        assertThat(fromEnv.path("properties")
                        .path("sslCertificates")
                        .path(0)
                        .path("properties")
                        .path("data")
                        .asString())
                .isEqualTo("ZW52");
        assertThat(fromArgs.path("tags").path("note").asString()).isEqualTo("[not an expression]");
    }

    @Test
    void aParameterWithoutValueAnUnknownParameterOrAnotherExpressionIsACommandLineError() {
        JsonNode template = ArmTemplate.of(GATEWAY, "2025-03-01");
        String other = JSON.writeValueAsString(template)
                .replace("[parameters('web_certData')]", "[concat(parameters('web_certData'))]");

        assertThatThrownBy(() -> body(template, Map.of(), Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("parameter 'web_certData' has no value");
        assertThatThrownBy(() -> body(template, Map.of("web_certData", "x", "typo", "y"), Map.of()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--parameter typo");
        assertThatThrownBy(
                        () -> ArmTemplate.gateway(other, new TemplateParameters(Map.of("web_certData", "x"), Map.of())))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("is not supported");
    }

    @Test
    void aTemplateIsToldApartFromAGatewayDocumentAndMustHoldExactlyOneGateway() {
        assertThat(ArmTemplate.isTemplate(JSON.writeValueAsString(ArmTemplate.of(GATEWAY, "v"))))
                .isTrue();
        assertThat(ArmTemplate.isTemplate(JSON.writeValueAsString(GATEWAY))).isFalse();
        assertThat(ArmTemplate.isTemplate("{not json")).isFalse();
        assertThatThrownBy(() -> ArmTemplate.gateway("{\"resources\": []}", new TemplateParameters(Map.of(), Map.of())))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("exactly one");
    }
}
