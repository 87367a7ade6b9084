package dev.gatehouse.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The real browser of the browser tests: Debian's chromium and chromium-driver, headless, driven by Selenium, with
 * the browser's console kept for the test to read. Skips the calling test loudly when either is missing, unless
 * {@code gatehouse.interop.required} (CI).
 */
public final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /** A new browser; the caller quits it. */
    public static WebDriver start() {
        RealReceivers.assumeAvailable("chromium");
        RealReceivers.assumeAvailable("chromedriver");
        ChromeOptions options = new ChromeOptions();
        if (Files.isExecutable(CHROMIUM)) {
            options.setBinary(CHROMIUM.toFile());
        }
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService.Builder service = new ChromeDriverService.Builder();
        if (Files.isExecutable(CHROMEDRIVER)) {
            service.usingDriverExecutable(CHROMEDRIVER.toFile());
        }
        return new ChromeDriver(service.build(), options);
    }

    /** The browser console's entries at SEVERE level or above, as the driver reports them. */
    public static List<String> severeConsoleEntries(WebDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
    }
}
