package dev.gatehouse.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Swagger UI at {@value #PAGE} (a redirect to {@value #INDEX}), as springdoc served it: the files of the
 * {@code org.webjars:swagger-ui} jar as they are, except {@code swagger-initializer.js}, ours
 * ({@code swagger-ui/} in the resources), which points the page at {@link OpenApiDocumentController}'s document.
 * The page holds no data; security.Access makes these paths public. {@value #ENABLED}{@code =false} turns it off
 * (springdoc's key, kept so that a configuration that used it still does).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = SwaggerUiConfiguration.ENABLED, matchIfMissing = true)
class SwaggerUiConfiguration implements WebMvcConfigurer {

    static final String ENABLED = "springdoc.swagger-ui.enabled";
    static final String PAGE = "/swagger-ui.html";
    static final String INDEX = "/swagger-ui/index.html";

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // The first location that has the file wins: our initializer, then the web jar's files.
        registry.addResourceHandler("/swagger-ui/**")
                .addResourceLocations("classpath:/swagger-ui/", "classpath:/" + WEBJAR + webJarVersion() + "/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController(PAGE, INDEX);
    }

    /** The web jar's files sit under its version; the jar says which in its Maven properties. */
    static String webJarVersion() {
        Properties pom = new Properties();
        try (InputStream in = new ClassPathResource(WEBJAR_POM).getInputStream()) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Swagger UI's web jar is not on the class path (" + WEBJAR_POM + ")", e);
        }
        String version = pom.getProperty("version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException(WEBJAR_POM + " names no version");
        }
        return version;
    }
}
