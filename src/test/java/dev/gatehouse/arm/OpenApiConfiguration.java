package dev.gatehouse.arm;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's header. The server URL is relative ("/") so that the generated document does
 * not depend on the port it was served from, and the committed copy under openapi/ can be compared.
 *
 * <p>This class and the other customisers ({@link ArmOpenApiConventions}, {@code gateway.web}'s
 * {@code *OpenApi}) are the generator of openapi/openapi.json, a build tool: they live in the test sources, where
 * springdoc is, and the application serves the committed file (dev.gatehouse.openapi).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI gatehouseOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Gatehouse")
                        .version("v1")
                        .description("Azure Resource Manager shaped API for Layer-4 (TCP/TLS) ApplicationGateways. "
                                + "Every request needs ?api-version= (for example 2025-03-01). Errors use ARM's "
                                + "envelope {\"error\": {code, message, target, details}} with x-ms-error-code.")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .servers(List.of(new Server().url("/").description("This Gatehouse instance")))
                .components(
                        new Components()
                                .addSecuritySchemes(
                                        "bearer",
                                        new SecurityScheme()
                                                .type(SecurityScheme.Type.HTTP)
                                                .scheme("bearer")
                                                .description(
                                                        "An API key (gh_..., made by `gatehouse keygen`) or a JWT from the configured "
                                                                + "issuer. Without credentials configured the API is open and listens on loopback only.")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
