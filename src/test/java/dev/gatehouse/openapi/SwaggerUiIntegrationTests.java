package dev.gatehouse.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Swagger UI in a real browser (Debian's chromium and chromium-driver, headless): {@code /swagger-ui.html} leads to
 * the web jar's page, our initializer loads the served document, and the page lists every operation in it, without
 * console errors. Skips loudly when the browser or its driver is missing, unless {@code gatehouse.interop.required}.
 */
class SwaggerUiIntegrationTests extends ApiIntegrationTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void swaggerUiShowsEveryOperationOfTheServedDocument() throws Exception {
        JsonNode document = JsonMapper.builder().build().readTree(Files.readString(Path.of("openapi/openapi.json")));
        int operations = 0;
        for (JsonNode path : document.path("paths")) {
            for (String method : path.propertyNames()) {
                operations += METHODS.contains(method) ? 1 : 0;
            }
        }
        assertThat(operations).isGreaterThan(20);

        browser.get("http://127.0.0.1:" + apiPort + "/swagger-ui.html");

        int expected = operations;
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(browser.findElements(By.cssSelector(".opblock")))
                        .hasSize(expected));
        assertThat(browser.getCurrentUrl()).endsWith("/swagger-ui/index.html");
        assertThat(browser.findElement(By.cssSelector(".info .title")).getText())
                .startsWith(document.path("info").path("title").asString());
        assertThat(browser.findElement(By.cssSelector(".download-url-input")).getAttribute("value"))
                .isEqualTo("http://127.0.0.1:" + apiPort + "/v3/api-docs");
        assertThat(HeadlessChromium.severeConsoleEntries(browser))
                .as("console errors")
                .isEmpty();
    }
}
