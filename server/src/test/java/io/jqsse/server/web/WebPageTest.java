package io.jqsse.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jqsse.server.JqSseServer;
import io.jqsse.server.ServerConfig;
import io.jqsse.server.testing.Http;
import io.jqsse.store.memory.MemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in headless Chromium against a server on 127.0.0.1 port 0: after every write the page's live
 * view must equal a fresh {@code GET /store?path=F} and carry the write's rev. Needs Debian's
 * {@code chromium} and {@code chromium-driver}; without them the tests are skipped, except under CI
 * ({@code CI=true}), whose {@code .ci/run} installs them.
 */
class WebPageTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String USERS = """
            {"data":{"users":[{"name":"Alice","status":"online"},{"name":"Bob","status":"away"}]}}""";

    /**
     * Selenium warns at every start that it has no DevTools (CDP) classes for this Chromium; the test
     * speaks only W3C WebDriver. Held here because java.util.logging keeps loggers weakly.
     */
    private static final List<Logger> QUIET = Stream.of("org.openqa.selenium.devtools.CdpVersionFinder",
            "org.openqa.selenium.chromium.ChromiumDriver").map(Logger::getLogger).toList();

    private static JqSseServer server;
    private static Http http;
    private static ChromeDriver browser;

    @BeforeAll
    static void startServerAndBrowser(@TempDir Path profile) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = CHROMIUM + " and " + CHROMEDRIVER + " (expected: installed with `" + INSTALL + "`)";
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(installed, missing);
        }
        assumeTrue(installed, missing);
        QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).build();
        server = JqSseServer.builder().config(config).store(new MemoryStore()).build().start();
        http = new Http(server.port());
        browser = new ChromeDriver(driverService(), options(profile));
    }

    /** An explicit driver and binary keep Selenium Manager from looking for (or downloading) either. */
    private static ChromeDriverService driverService() {
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        return new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
    }

    private static ChromeOptions options(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1100,1250", "--user-data-dir=" + profile);
        return options;
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    static Stream<String> filters() {
        return Stream.of(".data.users[*].name", ".data.users[name=Bob]",
                ".data.users[] | select(.status == \"away\") | .name", ".data.users[0]", ".data",
                ".data.users | map(.name)");
    }

    @ParameterizedTest
    @MethodSource("filters")
    void liveViewEqualsTheStoredViewAfterEachHttpWrite(String filter) {
        long start = rev(http.post(USERS));
        openPage();
        Watched view = new Watched(filter);
        subscribe(filter);
        view.awaitAfter(start);
        view.awaitAfter(rev(http.patch(".data.users[0].name", "\"Alicia\"")));
        view.awaitAfter(rev(http.patch(".data.users[2]", "{\"name\":\"Carol\",\"status\":\"online\"}")));
        view.awaitAfter(rev(http.patch(".data[\"last seen\"]", "{\"Alicia\":1}")));
        view.awaitAfter(rev(http.patch(".data.users[1].name", "\"Bobby\"")));
        view.awaitAfter(rev(http.patch(".data.users[0].status", "\"away\"")));
        view.awaitAfter(rev(http.delete(".data.users[0].status")));
        view.awaitAfter(rev(http.delete(".data.users[0]")));
        view.awaitAfter(rev(http.post("{\"data\":{\"users\":[{\"name\":\"Bob\"},{\"name\":\"Dan\"}]}}")));
    }

    @Test
    void eachFilterOfOneStreamHasItsOwnView() {
        long start = rev(http.post(USERS));
        openPage();
        Watched statuses = new Watched(".data.users[*].status");
        Watched count = new Watched(".data.users | length");
        subscribe(statuses.filter + "," + count.filter);
        statuses.awaitAfter(start);
        count.awaitAfter(start);
        long rev = rev(http.patch(".data.users[2]", "{\"name\":\"Carol\",\"status\":\"busy\"}"));
        statuses.awaitAfter(rev);
        count.awaitAfter(rev);
    }

    @Test
    void aPatchSentThroughThePageFormReachesTheStoreTheViewAndTheDocumentPanel() throws IOException {
        long start = rev(http.post(USERS));
        openPage();
        Watched view = new Watched(".data.users[*].name");
        subscribe(view.filter);
        view.awaitAfter(start);
        new Select(browser.findElement(By.id("method"))).selectByVisibleText("PATCH");
        type(browser.findElement(By.id("writePath")), ".data.users[1].name");
        type(browser.findElement(By.id("body")), "\"Zed\"");
        browser.findElement(By.id("send")).click();
        await("the form's PATCH answered 200", () -> text("result").startsWith("200 "));
        assertEquals(Http.json("\"Zed\""), http.view(".data.users[1].name"));
        view.awaitAfter(start + 1);
        await("the document panel shows GET /store", () -> Http.json(text("doc")).equals(http.view(".")));
        Files.write(Path.of("target", "jq-sse-page.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aFilterTheServerRefusesShowsTheReason() {
        openPage();
        subscribe(".data[");
        await("the state says why the stream closed", () -> text("state").startsWith("closed: "));
        assertTrue(text("state").contains(".data["), text("state"));
    }

    private static void openPage() {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        await("the page read the document", () -> !text("doc").isEmpty());
    }

    private static void subscribe(String filter) {
        type(browser.findElement(By.id("filter")), filter);
        browser.findElement(By.cssSelector("#subscribeForm button[type=submit]")).click();
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    /** One filter's view on the page, compared with {@code GET /store?path=F} after each write. */
    private static final class Watched {
        final String filter;
        private JsonNode last;

        Watched(String filter) {
            this.filter = filter;
        }

        /**
         * Waits until the page shows the stored view; when the write at {@code rev} changed it, also
         * until the page applied that rev (a write that left the view alone sends no event).
         */
        void awaitAfter(long rev) {
            JsonNode expected = http.view(filter);
            long atLeast = expected.equals(last) ? -1 : rev;
            last = expected;
            await(() -> "view of " + filter + " = " + expected + " at rev " + atLeast + " (page: " + shown(filter) + ")",
                    () -> {
                        List<?> shown = shown(filter);
                        return shown != null && Http.json((String) shown.get(0)).equals(expected)
                                && (atLeast < 0 || Long.parseLong((String) shown.get(1)) == atLeast);
                    });
        }
    }

    /** The page's view of one filter as {@code [json text, rev]}, or null when it has none yet. */
    private static List<?> shown(String filter) {
        return (List<?>) browser.executeScript("""
                var filter = arguments[0];
                var box = Array.from(document.querySelectorAll('#views > div'))
                    .find(function (d) { return d.dataset.filter === filter; });
                var pre = box && box.querySelector('pre.view');
                return pre ? [pre.textContent, pre.dataset.rev] : null;""", filter);
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static void await(String what, Supplier<Boolean> condition) {
        await(() -> what, condition);
    }

    private static void await(Supplier<String> what, Supplier<Boolean> condition) {
        new WebDriverWait(browser, WAIT, Duration.ofMillis(20)).withMessage(what).until(d -> condition.get());
    }

    private static long rev(JsonNode writeResponse) {
        return writeResponse.path("data").path("rev").asLong();
    }
}
