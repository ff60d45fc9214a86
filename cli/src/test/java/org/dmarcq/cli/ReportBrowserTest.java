package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The report in a real browser: Debian's Chromium, headless, driven through its chromedriver
 * (.ci/run installs both when they are missing). The page opens from {@code file://} with no
 * console error and no request, draws every chart, shows a hostile org name as text, and reads at
 * phone and desktop widths; screenshots go to {@code cli/target/report-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportBrowserTest extends CommandTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("cli/target/report-screenshots");
    private static final String HOSTILE_ORG = "<script>document.title='pwned';window.pwned=1</script>";

    /** Selenium's warning that it has no DevTools bindings for this Chromium's version: it needs none here. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    static {
        QUIET.setLevel(Level.SEVERE);
    }

    @TempDir static Path temp;
    private ChromeDriver browser;
    private Path page;
    private Path owners;

    @BeforeAll
    void writeTheReportAndStartTheBrowser() throws Exception {
        assertThat(CHROMIUM).as("Chromium is needed for this test: apt-get install chromium chromium-driver (.ci/run does)")
                .isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver is needed for this test: apt-get install chromium-driver (.ci/run does)")
                .isExecutable();
        String db = temp.resolve("sample.duckdb").toString();
        Path hostile = temp.resolve("hostile.xml");
        Files.writeString(hostile, HostileInputs.report("hostile-1", 3, HOSTILE_ORG.replace("<", "&lt;").replace(">", "&gt;"), 5,
                1759363200L, 1759363200L + 86_399, "")); // 2025-10-02, inside the sample's month
        assertThat(run("ingest", "--db", db, "samples/rua", "samples/tlsrpt", hostile.toString())).as(err.toString()).isZero();
        owners = temp.resolve("owners");
        page = temp.resolve("report.html");
        assertThat(run("report", "--offline", "--db", db, "--zone", "samples/spf.zone", "--per-system", owners.toString(),
                "-o", page.toString())).as(err.toString()).isZero();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the flags that keep Chromium from reaching for Google's services from a closed network
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + temp.resolve("chromium-profile"), "--window-size=1280,900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stopTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** Opens a page; returns the console's errors and the requests it made for anything but itself. */
    private List<String> open(Path file, int width) {
        browser.manage().window().setSize(new Dimension(width, 900));
        browser.get("about:blank");
        browser.manage().logs().get(LogType.BROWSER); // what earlier pages left
        browser.manage().logs().get(LogType.PERFORMANCE);
        browser.get(file.toUri().toString());
        List<String> problems = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                problems.add("console: " + e.getMessage());
            }
        }
        ObjectMapper json = new ObjectMapper();
        for (LogEntry e : browser.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = json.readTree(e.getMessage()).get("message");
                if (message.get("method").asText().equals("Network.requestWillBeSent")) {
                    // the browser's own pages (its new tab page at start) request chrome:// resources: only the page's count
                    String url = message.get("params").get("request").get("url").asText();
                    String document = message.get("params").path("documentURL").asText();
                    boolean ours = document.equals(file.toUri().toString()) && !url.equals(document) && !url.startsWith("data:");
                    if (ours || url.matches("(?i)(https?|wss?|ftp):.*")) {
                        problems.add("request: " + url);
                    }
                }
            } catch (Exception ex) {
                problems.add("unreadable performance log entry: " + e.getMessage());
            }
        }
        return problems;
    }

    /** The charts of the page, each with whether its canvas has anything drawn on it. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> charts() {
        return (List<Map<String, Object>>) js("""
                return Array.from(document.querySelectorAll('[data-chart]')).map(function (el) {
                  var canvas = el.querySelector('canvas');
                  var inked = false;
                  if (canvas && canvas.width > 0 && canvas.height > 0) {
                    var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                    for (var i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { inked = true; break; } }
                  }
                  return { chart: el.getAttribute('data-chart'), drawn: el.getAttribute('data-drawn'), inked: inked,
                           width: canvas ? canvas.getBoundingClientRect().width : 0,
                           right: canvas ? canvas.getBoundingClientRect().right : 0,
                           room: document.documentElement.clientWidth };
                });""");
    }

    private void screenshot(String name, int width) throws Exception {
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        browser.manage().window().setSize(new Dimension(width, (int) Math.min(height + 100, 16_000)));
        Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void theOverviewOpensFromAFileDrawsEveryChartAndFetchesNothing() throws Exception {
        for (int width : new int[] {1280, 390}) {
            List<String> problems = open(page, width);
            assertThat(problems).as("at " + width + " px").isEmpty();
            List<Map<String, Object>> charts = charts();
            assertThat(charts).as("charts").hasSizeGreaterThanOrEqualTo(6);
            assertThat(charts).allSatisfy(c -> {
                assertThat(c.get("drawn")).as(c.toString()).isEqualTo("true");
                assertThat(c.get("inked")).as(c.toString()).isEqualTo(true);
                assertThat(((Number) c.get("right")).doubleValue()).as("right edge of " + c).isLessThanOrEqualTo(
                        ((Number) c.get("room")).doubleValue());
            });
            assertThat(browser.findElements(By.cssSelector("p.verdict")).get(0).getText()).contains("for p=quarantine")
                    .contains("for p=reject");
            assertThat(browser.findElement(By.tagName("body")).getText()).contains("Next step:");
            // nothing is wider than the window: no sideways scrolling of the page itself
            long scrollWidth = ((Number) js("return document.documentElement.scrollWidth")).longValue();
            long innerWidth = ((Number) js("return document.documentElement.clientWidth")).longValue();
            assertThat(scrollWidth).as("page width at " + width + " px").isLessThanOrEqualTo(innerWidth);
            screenshot("report-" + width + ".png", width);
        }
    }

    @Test
    void aHostileOrgNameIsShownAsTextAndNeverRuns() {
        assertThat(open(page, 1280)).isEmpty();
        assertThat(browser.getTitle()).isEqualTo("DMARC report");
        assertThat(js("return typeof window.pwned")).isEqualTo("undefined");
        assertThat(browser.findElement(By.id("about")).getText()).contains(HOSTILE_ORG);
    }

    @Test
    void anOwnerPageOpensAndDrawsItsTrend() throws Exception {
        Path ownerPage;
        try (var files = Files.list(owners)) {
            ownerPage = files.filter(p -> p.getFileName().toString().startsWith("example.com-")).sorted().findFirst().orElseThrow();
        }
        for (int width : new int[] {1280, 390}) {
            assertThat(open(ownerPage, width)).isEmpty();
            assertThat(charts()).isNotEmpty().allSatisfy(c -> assertThat(c.get("inked")).isEqualTo(true));
            assertThat(browser.findElement(By.tagName("h1")).getText()).contains("and mail as example.com");
            screenshot("owner-" + width + ".png", width);
        }
        // and back to the overview
        browser.findElement(By.linkText("The whole report")).click();
        assertThat(browser.getCurrentUrl()).isEqualTo(page.toUri().toString());
    }

    @Test
    void thePrintLayoutKeepsTheChartsOnThePage() {
        assertThat(open(page, 1280)).isEmpty();
        js("window.dispatchEvent(new Event('beforeprint'))");
        assertThat(charts()).allSatisfy(c -> assertThat(((Number) c.get("width")).doubleValue()).isLessThanOrEqualTo(700));
        js("window.dispatchEvent(new Event('afterprint'))");
    }
}
