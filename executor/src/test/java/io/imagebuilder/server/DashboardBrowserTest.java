package io.imagebuilder.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser, against a real server building on the loopback hosts and pushing to the
 * registry: sign-in, a build submitted from the page and its log watched while it runs, a running build cancelled,
 * a bad document's problem placed at its line, and text from a build that looks like markup staying text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String IMAGE = "tests/dashboard";
    private static final Duration BUILD_WAIT = Duration.ofMinutes(4);
    private static final String TITLE = "image-builder";
    private static final String TOKEN = "dana-token-3c9e";

    private Path dir;
    private TestEnvironment env;
    private TestDatabase db;
    private TestServer server;
    private ChromeDriver browser;
    private HttpServer authorizationServer;
    private final List<String> introspected = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("ib-dashboard-test-");
        env = TestEnvironment.load();
        db = TestDatabase.h2(dir);
        server = TestServer.start(TestServer.config(dir, db, 2, Duration.ofSeconds(10)), introspection());
        browser = Browser.start();
    }

    /** An authorization server on loopback whose introspection endpoint knows one active token, dana's. */
    private TokenIntrospection introspection() throws Exception {
        authorizationServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        authorizationServer.createContext("/introspect", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String token = "";
            for (String pair : body.split("&")) {
                if (pair.startsWith("token=")) token = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
            introspected.add(token);
            byte[] answer = (token.equals(TOKEN) ? "{\"active\":true,\"sub\":\"dana\"}" : "{\"active\":false}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        authorizationServer.start();
        Path secret = Files.writeString(dir.resolve("client-secret"), "dashboard client secret\n");
        return TokenIntrospection.of(URI.create("http://127.0.0.1:" + authorizationServer.getAddress().getPort()
                + "/introspect"), "image-builder", secret);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) browser.quit();
        if (server != null) server.close();
        if (authorizationServer != null) authorizationServer.stop(0);
        if (db != null) db.close();
        io.imagebuilder.util.Trees.delete(dir);
    }

    @BeforeEach
    void signedIn() {
        open("/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        open("/");
        signIn("key", TestServer.ALICE);
    }

    @Test
    void signingInKeepsTheKeyInTheTabsSessionOnlyAndSigningOutForgetsIt() {
        assertThat(browser.getCurrentUrl()).doesNotContain(TestServer.ALICE);
        assertThat(String.valueOf(script("return sessionStorage.getItem('image-builder.credential')")))
                .contains(TestServer.ALICE);
        assertThat(String.valueOf(script("return localStorage.length"))).isEqualTo("0");
        assertThat(String.valueOf(script("return document.cookie"))).isEmpty();
        browser.findElement(By.id("sign-out")).click();
        wait(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("sign-in")).isDisplayed());
        assertThat(script("return sessionStorage.getItem('image-builder.credential')")).isNull();
        assertThat(browser.findElement(By.id("main")).getText()).isEmpty();

        browser.findElement(By.id("credential")).sendKeys("not-a-key");
        browser.findElement(By.id("sign-in-button")).click();
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("sign-in-error")).getText()
                .contains("does not accept"));
        assertThat(script("return sessionStorage.getItem('image-builder.credential')")).isNull();
    }

    @Test
    void aBearerTokenSignsInAndItsBuildsShowTheirSubmitter() throws Exception {
        browser.findElement(By.id("sign-out")).click();
        signIn("bearer", TOKEN);
        // the page shows its navigation as it asks for the builds: the server may still be asking about the token
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!introspected.contains(TOKEN) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(introspected).contains(TOKEN);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri(
                "/builds?dry_run=true")).header("Authorization", "Bearer " + TOKEN).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(Requests.bare(IMAGE, RUN + "-bearer",
                "pw"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = TestServer.json(r).path("id").asText();
        open("/#/builds");
        By row = By.cssSelector("tr.build[data-id='" + id + "']");
        wait(Duration.ofSeconds(20)).until(d -> d.findElement(row));
        assertThat(textOf(row)).contains("oauth:dana", "dry run");
        assertThat(browser.findElement(By.id("who")).getText()).contains("bearer token");
        assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN);
    }

    @Test
    void aSubmittedBuildsLogArrivesWhileItRunsAndItsDigestIsShown() throws Exception {
        String tag = RUN + "-ok";
        String git = Requests.gitRepo(dir.resolve("repo-ok"), "FROM " + env.baseImage() + "\n"
                + "RUN echo start-" + tag + " && for i in 1 2 3 4 5 6; do echo step-$i; sleep 1; done\n"
                + "RUN echo '<script>window.ranFromLog = 1; document.title = \"pwned\"</script>'\n");
        String document = Requests.build(env, git, IMAGE, tag, null).replace("\"target\": {",
                "\"labels\": {\"org.example.note\": \"<script>window.ranFromLabel = 1</script>\"},\n    \"target\": {");
        open("/#/new");
        paste(document);
        browser.findElement(By.id("submit")).click();
        wait(Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().matches(".*#/builds/[\\w-]+$"));
        String id = browser.getCurrentUrl().replaceAll(".*#/builds/", "");

        // a line of the slow RUN step is on the page while the build still runs: the log is followed live
        WebElement first = wait(BUILD_WAIT).until(d -> logLine(d, "step-1"));
        assertThat(first.isDisplayed()).isTrue();
        assertThat(TestServer.json(server.get("/builds/" + id, TestServer.ALICE)).path("status").asText())
                .isEqualTo("running");
        assertThat(textOf(By.id("log-state"))).doesNotContain("complete");
        assertThat(logLine(browser, "step-6")).as("later lines are still to come").isNull();
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("build-status")).getText().contains("running"));
        List<String> prefixes = first.findElements(By.xpath("./ancestor::tr/td[contains(@class,'unit')]/span"))
                .stream().map(WebElement::getText).toList();
        assertThat(prefixes).as("the unit's prefix is in a column of its own").contains(IMAGE + ":" + tag);
        assertThat(first.getText()).doesNotContain("[" + IMAGE);

        wait(BUILD_WAIT).until(d -> d.findElement(By.id("build-status")).getText().contains("succeeded"));
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("log-state")).getText().contains("complete"));
        JsonNode done = TestServer.json(server.get("/builds/" + id, TestServer.ALICE));
        assertThat(done.path("status").asText()).isEqualTo("succeeded");
        String digest = done.path("images").get(0).path("digest").asText();
        assertThat(digest).startsWith("sha256:");
        wait(Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector("#images .digest")).isEmpty());
        assertThat(textOf(By.cssSelector("#images .digest"))).isEqualTo(digest);
        assertThat(textOf(By.id("images"))).contains(env.registry() + "/" + IMAGE + ":" + tag);
        assertThat(browser.findElements(By.cssSelector("#images button.copy"))).hasSize(3);
        assertThat(browser.findElement(By.id("cancel")).isDisplayed()).as("an ended build cannot be cancelled")
                .isFalse();

        // markup from the build's label and log is shown as text, and none of it ran
        assertThat(textOf(By.id("labels")))
                .contains("<script>window.ranFromLabel = 1</script>");
        assertThat(textOf(By.id("log"))).contains("<script>window.ranFromLog = 1;");
        assertThat(browser.findElements(By.cssSelector("#main script"))).isEmpty();
        assertThat(script("return window.ranFromLabel === undefined && window.ranFromLog === undefined"))
                .isEqualTo(true);
        assertThat(browser.getTitle()).isEqualTo(TITLE);
        assertThat(browser.getPageSource()).doesNotContain(env.registryPassword());

        Path shot = Path.of("target/screenshots/build-page.png");
        Files.createDirectories(shot.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shot)).isPositive();

        // the list shows it with who submitted it, newest first
        open("/#/builds");
        By row = By.cssSelector("tr.build[data-id='" + id + "']");
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(row));
        assertThat(textOf(row)).contains("succeeded", IMAGE + ":" + tag, "alice");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("status-filter")))
                .selectByValue("cancelled");
        wait(Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("tr.build[data-id='" + id + "']"))
                .isEmpty());
    }

    @Test
    void aRunningBuildIsCancelledFromItsPageAndItsHostShowsItMeanwhile() throws Exception {
        String tag = RUN + "-cancel";
        String git = Requests.gitRepo(dir.resolve("repo-cancel"), "FROM " + env.baseImage() + "\n"
                + "RUN echo slow-" + tag + " && sleep 300\n");
        HttpResponse<String> r = server.send("POST", "/builds", TestServer.ALICE, Requests.build(env, git, IMAGE, tag,
                null));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = TestServer.json(r).path("id").asText();
        open("/#/builds/" + id);
        wait(BUILD_WAIT).until(d -> logLine(d, "slow-" + tag));

        open("/#/hosts");
        WebElement unit = wait(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector(".unit-running a"))
                .stream().filter(a -> a.getText().equals(IMAGE + ":" + tag)).findFirst().orElse(null));
        assertThat(unit.getAttribute("href")).as("the unit links to its build").endsWith("#/builds/" + id);
        assertThat(browser.findElements(By.cssSelector("tr.host"))).hasSize(2);
        assertThat(textOf(By.cssSelector("tr.host"))).contains(env.dockerHost(1), "reachable", "linux/amd64");

        open("/#/builds/" + id);
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("build-status")).getText().contains("running"));
        browser.findElement(By.id("cancel")).click();
        wait(Duration.ofSeconds(60)).until(d -> d.findElement(By.id("build-status")).getText().contains("cancelled"));
        assertThat(textOf(By.id("build-error"))).contains("cancelled");
        assertThat(TestServer.json(server.get("/builds/" + id, TestServer.ALICE)).path("status").asText())
                .isEqualTo("cancelled");
    }

    @Test
    void aBadDocumentsProblemIsShownAtItsLineAndColumn() {
        open("/#/new");
        paste("{\n  \"source\": nope\n}");
        browser.findElement(By.id("check")).click();
        WebElement problem = wait(Duration.ofSeconds(20)).until(d -> d.findElement(By.cssSelector(
                "#problems .error-entry")));
        assertThat(problem.getText()).startsWith("line 2, column 13").contains("found 'nope'");
        WebElement marked = browser.findElement(By.cssSelector("#listing li.marked"));
        assertThat(marked.getAttribute("data-line")).isEqualTo("2");
        assertThat(marked.findElement(By.cssSelector(".caret code")).getText().stripTrailing())
                .as("the caret points at column 13").isEqualTo(" ".repeat(12) + "^");

        // YAML is turned into JSON in the page; a field the blueprint refuses is named with its path and line
        paste("source:\n  dockerfile:\n    url: http://127.0.0.1:8000/no_context/Dockerfile\ntarget:\n"
                + "  images:\n    - image: tests/dashboard\n      tag: 'bad tag!'\n"
                + "  registry: {url: 127.0.0.1:5000, username: builder}\n");
        browser.findElement(By.id("check")).click();
        WebElement tagProblem = wait(Duration.ofSeconds(20)).until(d -> d.findElement(By.cssSelector(
                "#problems .error-entry")));
        assertThat(tagProblem.getText()).contains("build_params.target.images[0].tag").containsPattern("^line \\d+");
        assertThat(browser.findElement(By.cssSelector("#listing li.marked")).getText()).contains("bad tag!");

        // a valid YAML document passes the dry run
        paste("source:\n  dockerfile:\n    url: http://127.0.0.1:8000/no_context/Dockerfile\ntarget:\n"
                + "  images:\n    - image: tests/dashboard\n      tag: yaml\n"
                + "  registry: {url: 127.0.0.1:5000, username: builder}\n");
        browser.findElement(By.id("check")).click();
        wait(Duration.ofSeconds(20)).until(d -> d.findElement(By.id("check-ok")).isDisplayed());
    }

    private void open(String path) {
        browser.get(server.uri(path).toString());
    }

    private void signIn(String kind, String secret) {
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("credential")).isDisplayed());
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("credential-kind"))).selectByValue(kind);
        browser.findElement(By.id("credential")).sendKeys(secret);
        browser.findElement(By.id("sign-in-button")).click();
        wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("nav")).isDisplayed());
    }

    /** Puts text into the document box as a paste would (typing would be slow and auto-indented by nothing). */
    private void paste(String text) {
        WebElement box = wait(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("document")));
        script("arguments[0].value = arguments[1]", box, text);
    }

    private static WebElement logLine(org.openqa.selenium.WebDriver d, String text) {
        return d.findElements(By.cssSelector("#log tr.log-line td.text")).stream()
                .filter(e -> e.getText().contains(text)).findFirst().orElse(null);
    }

    /** The text of an element that the page may replace while it is read (a refresh renders it anew). */
    private String textOf(By by) {
        return wait(Duration.ofSeconds(10)).until(d -> d.findElement(by).getText());
    }

    private Object script(String js, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(js, args);
    }

    private WebDriverWait wait(Duration timeout) {
        WebDriverWait w = new WebDriverWait(browser, timeout, Duration.ofMillis(100));
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return w;
    }
}
