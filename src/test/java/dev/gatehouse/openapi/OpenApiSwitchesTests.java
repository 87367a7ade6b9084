package dev.gatehouse.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The document and Swagger UI are on unless springdoc's two keys, as docs/security.md names them, turn them off. */
class OpenApiSwitchesTests {

    private final WebApplicationContextRunner context = new WebApplicationContextRunner()
            .withUserConfiguration(OpenApiDocumentController.class, SwaggerUiConfiguration.class);

    @Test
    void theDocumentAndSwaggerUiAreOnByDefault() {
        context.run(app -> assertThat(app)
                .hasSingleBean(OpenApiDocumentController.class)
                .hasSingleBean(SwaggerUiConfiguration.class));
    }

    @Test
    void eachCanBeTurnedOffWithSpringdocsKey() {
        context.withPropertyValues("springdoc.api-docs.enabled=false")
                .run(app -> assertThat(app)
                        .doesNotHaveBean(OpenApiDocumentController.class)
                        .hasSingleBean(SwaggerUiConfiguration.class));
        context.withPropertyValues("springdoc.swagger-ui.enabled=false")
                .run(app -> assertThat(app)
                        .hasSingleBean(OpenApiDocumentController.class)
                        .doesNotHaveBean(SwaggerUiConfiguration.class));
    }

    @Test
    void theSwaggerUiWebJarNamesItsVersion() {
        assertThat(SwaggerUiConfiguration.webJarVersion()).matches("\\d+\\.\\d+\\.\\d+");
    }
}
