package dev.gatehouse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.EchoBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.HeadlessChromium;
import dev.gatehouse.testing.TestGateway;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real browser (Debian's chromium and chromium-driver, headless, driven by Selenium): it loads
 * without console errors, shows a gateway created through the API, marks a stopped backend Unhealthy with the
 * probe's reason, and its counters and charts move while traffic flows. Skips loudly when the browser or its
 * driver is missing, unless {@code gatehouse.interop.required} is true.
 */
class DashboardIntegrationTests extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
    void showsAGatewayItsStoppedBackendAsUnhealthyAndTrafficAsItFlows() throws Exception {
        try (EchoBackend echo = EchoBackend.start();
                CaptureBackend reports = CaptureBackend.start("127.0.0.1")) {
            int listenPort = FreePorts.next();
            TestGateway gw = TestGateway.named("dashboard-shop")
                    .listen("127.0.0.1", listenPort)
                    .backends(echo.port(), "127.0.0.1")
                    .extraListener("reports", FreePorts.next(), reports.port())
                    .probe(JSON.createObjectNode()
                            .put("protocol", "Tcp")
                            .put("interval", 1)
                            .put("timeout", 2)
                            .put("unhealthyThreshold", 2));
            deleteAfterwards(gw); // its probes run every second
            var put = api.put(gw.path(), gw.json(), "Prefer", "wait=10");
            assertThat(put.status()).as(put.toString()).isIn(200, 201);

            browser.get("http://127.0.0.1:" + apiPort + "/");
            WebElement gateway =
                    find(() -> browser.findElement(By.cssSelector("section[data-gateway='dashboard-shop']")));
            assertThat(gateway.findElement(By.cssSelector("tr[data-listener='listener']"))
                            .getText())
                    .contains("127.0.0.1:" + listenPort)
                    .contains("Tcp");
            find(() -> browser.findElements(By.cssSelector("#operations tr")).stream()
                    .filter(row -> row.getText().contains("CreateOrUpdate dashboard-shop Succeeded"))
                    .findFirst()
                    .orElse(null));
            eventually(() -> assertThat(serverRow("reports-pool")
                            .findElement(By.cssSelector(".health"))
                            .getText())
                    .isEqualTo("Healthy"));

            reports.close();
            // Each pool has its own prober: the other pool's first probe may still be under way.
            eventually(() -> {
                WebElement row = serverRow("reports-pool");
                assertThat(row.findElement(By.cssSelector(".health")).getText()).isEqualTo("Unhealthy");
                assertThat(row.findElement(By.cssSelector(".reason")).getText()).isEqualTo("connection refused");
                assertThat(serverRow("pool")
                                .findElement(By.cssSelector(".health"))
                                .getText())
                        .isEqualTo("Healthy");
            });

            String relayedBefore = listenerCell("listener", ".total");
            try (Traffic traffic = Traffic.through(listenPort)) {
                eventually(() -> {
                    assertThat(listenerCell("listener", ".total")).isNotEqualTo(relayedBefore);
                    assertThat(listenerCell("listener", ".in-rate"))
                            .doesNotStartWith("0 B/s")
                            .isNotEqualTo("–");
                    assertThat(listenerCell("listener", ".out-rate"))
                            .doesNotStartWith("0 B/s")
                            .isNotEqualTo("–");
                    assertThat(listenerCell("listener", ".active")).isEqualTo("1");
                    assertThat(chartMax("throughput", 1))
                            .as("bytes/s in the throughput chart")
                            .isPositive();
                    assertThat(chartMax("throughput", 2))
                            .as("bytes/s out in the throughput chart")
                            .isPositive();
                });
                // The page counts bytes sent to the client; the client's reader thread may not have read them yet.
                eventually(() -> assertThat(traffic.echoed()).isPositive());
                screenshot();
            }
            assertThat(HeadlessChromium.severeConsoleEntries(browser))
                    .as("console errors")
                    .isEmpty();
            api.delete(gw.path(), "Prefer", "wait=10");
        }
    }

    private static WebElement serverRow(String pool) {
        return browser.findElement(
                By.cssSelector("section[data-gateway='dashboard-shop'] tr[data-pool='" + pool + "']"));
    }

    private static String listenerCell(String listener, String cell) {
        return browser.findElement(By.cssSelector(
                        "section[data-gateway='dashboard-shop'] tr[data-listener='" + listener + "'] " + cell))
                .getText();
    }

    /** The largest value of one series of one chart, as uPlot holds it. */
    private static double chartMax(String chart, int series) {
        Object max = ((JavascriptExecutor) browser)
                .executeScript("var d = window.gatehouseDashboard.charts['" + chart + "'].data[" + series
                        + "]; return Math.max.apply(null, [0].concat(d));");
        return ((Number) max).doubleValue();
    }

    /** The page with traffic flowing, for the README (target/dashboard.png). */
    private static void screenshot() throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** What the page shows once it has polled: waits up to 20 s (the page polls every second). */
    private static <T> T find(Callable<T> found) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(found, v -> v != null);
    }

    private static void eventually(ThrowingRunnable check) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(check);
    }

    /** One client connection that writes steadily through the listener and reads the echo back, until closed. */
    private static final class Traffic implements AutoCloseable {

        private final Socket socket;
        private final Thread writer;
        private final Thread reader;
        private volatile long echoed;

        private Traffic(Socket socket) {
            this.socket = socket;
            this.writer = new Thread(this::write, "dashboard-traffic-writer");
            this.reader = new Thread(this::read, "dashboard-traffic-reader");
            writer.setDaemon(true);
            reader.setDaemon(true);
            writer.start();
            reader.start();
        }

        static Traffic through(int port) throws IOException {
            return new Traffic(new Socket("127.0.0.1", port));
        }

        private void write() {
            byte[] chunk = new byte[32 * 1024];
            try {
                OutputStream out = socket.getOutputStream();
                while (!socket.isClosed()) {
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(20);
                }
            } catch (IOException | InterruptedException stopped) {
                // closed by the test
            }
        }

        private void read() {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = socket.getInputStream();
                for (int n; (n = in.read(buffer)) > 0; ) {
                    echoed += n;
                }
            } catch (IOException stopped) {
                // closed by the test
            }
        }

        long echoed() {
            return echoed;
        }

        @Override
        public void close() throws Exception {
            socket.close();
            writer.join(5000);
            reader.join(5000);
        }
    }
}
