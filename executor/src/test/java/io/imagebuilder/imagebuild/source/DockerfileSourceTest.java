package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.Secret;
import io.imagebuilder.imagebuild.params.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dockerfiles downloaded from a real HTTP server behind basic auth, with no build context, a git build context
 * (and subdir) or a local one.
 */
class DockerfileSourceTest {

    private static final String USER = "bob";
    private static final String PASSWORD = "d0wnload-Pa55word";
    private static final String WRONG_PASSWORD = "n0t-the-Pa55word";

    @TempDir
    Path base;

    private Path work;
    private StaticHttpServer server;
    private TestRepo contextRepo;
    private final CapturedLog log = new CapturedLog();

    @BeforeEach
    void start() throws Exception {
        Path served = Files.createDirectory(base.resolve("served"));
        Files.writeString(Files.createDirectories(served.resolve("files")).resolve("Dockerfile"), "FROM downloaded\n");
        server = StaticHttpServer.start(served, USER, PASSWORD)
                .redirect("/moved/Dockerfile", "/files/Dockerfile")
                .redirect("/elsewhere/Dockerfile", "http://localhost:1/files/Dockerfile")
                .stall("/stalled/Dockerfile");
        contextRepo = TestRepo.create(base.resolve("context-project"));
        contextRepo.write("README", "root\n").write("service/app.py", "print('hi')\n").commit("context");
        work = Files.createDirectory(base.resolve("work"));
    }

    @AfterEach
    void stop() {
        server.close();
        contextRepo.close();
    }

    private FetchedSource fetch(String url, Credentials credentials, Source.BuildContext context) throws Exception {
        return new FetchSourceStep(log, new Cancellation()).run(new Source.DockerfileUrl(url, credentials, context),
                work);
    }

    private static Credentials credentials(String password) {
        return new Credentials(USER, Secret.of(password));
    }

    @Test
    void withoutBuildContextTheContextIsEmpty() throws Exception {
        FetchedSource fetched = fetch(server.url("files/Dockerfile"), credentials(PASSWORD), null);

        Path realWork = work.toRealPath();
        assertThat(fetched.dockerfile()).isEqualTo(realWork.resolve("Dockerfile"));
        assertThat(Files.readString(fetched.dockerfile())).isEqualTo("FROM downloaded\n");
        assertThat(fetched.context()).isEqualTo(realWork.resolve("context"));
        try (Stream<Path> entries = Files.list(fetched.context())) {
            assertThat(entries).isEmpty();
        }
        assertThat(log.lines()).contains("downloading " + server.url("files/Dockerfile"));
        assertThat(log.text()).doesNotContain(PASSWORD);
    }

    /** The engine parses a Dockerfile in one piece and cannot be stopped while it does: a huge one never gets there. */
    @Test
    void aDockerfileLargerThanTheLimitIsRefusedWhileItDownloads() throws Exception {
        Files.writeString(base.resolve("served/files/Huge"), "FROM x\n" + "RUN true\n".repeat(300));
        SourceLimits limits = new SourceLimits(1024, SourceLimits.DEFAULT_CONTEXT_BYTES);
        assertThatThrownBy(() -> new FetchSourceStep(log, new Cancellation(), null, limits)
                .run(new Source.DockerfileUrl(server.url("files/Huge"), credentials(PASSWORD), null), work))
                .isInstanceOf(SourceException.class)
                .hasMessage(server.url("files/Huge") + " is larger than the limit of 1 KiB");
        assertThat(work.resolve("Dockerfile")).doesNotExist();
        FetchedSource small = new FetchSourceStep(log, new Cancellation(), null, limits).run(
                new Source.DockerfileUrl(server.url("files/Dockerfile"), credentials(PASSWORD), null),
                Files.createDirectory(base.resolve("work2")));
        assertThat(small.dockerfile()).hasContent("FROM downloaded");
    }

    @Test
    void wrongPasswordIsAClearErrorWithoutThePassword() {
        assertThatThrownBy(() -> fetch(server.url("files/Dockerfile"), credentials(WRONG_PASSWORD), null))
                .isInstanceOf(SourceException.class)
                .hasMessage("authentication failed for " + server.url("files/Dockerfile")
                        + ": the server refused the given credentials (HTTP 401)");
        assertThat(log.text()).doesNotContain(WRONG_PASSWORD);
        assertThat(work.resolve("Dockerfile")).doesNotExist();
    }

    @Test
    void missingCredentials() {
        assertThatThrownBy(() -> fetch(server.url("files/Dockerfile"), Credentials.NONE, null))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("requires credentials");
    }

    @Test
    void notFoundIsAClearError() {
        assertThatThrownBy(() -> fetch(server.url("files/Missing"), credentials(PASSWORD), null))
                .isInstanceOf(SourceException.class)
                .hasMessage(server.url("files/Missing") + " was not found (HTTP 404)");
    }

    @Test
    void credentialsInTheUrlAreUsedButNeverShown() throws Exception {
        String url = "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.port() + "/files/Dockerfile";

        FetchedSource fetched = fetch(url, Credentials.NONE, null);

        assertThat(Files.readString(fetched.dockerfile())).isEqualTo("FROM downloaded\n");
        assertThat(log.text()).contains("downloading " + server.url("files/Dockerfile"))
                .doesNotContain(PASSWORD).doesNotContain(USER + ":");
    }

    @Test
    void queryStringsAreNotLogged() throws Exception {
        fetch(server.url("files/Dockerfile?token=abcdef123456"), credentials(PASSWORD), null);

        assertThat(log.text()).contains("downloading " + server.url("files/Dockerfile") + "?…")
                .doesNotContain("abcdef123456");
    }

    @Test
    void redirectOnTheSameServerIsFollowed() throws Exception {
        FetchedSource fetched = fetch(server.url("moved/Dockerfile"), credentials(PASSWORD), null);

        assertThat(Files.readString(fetched.dockerfile())).isEqualTo("FROM downloaded\n");
        assertThat(server.requests()).contains("/moved/Dockerfile", "/files/Dockerfile");
    }

    @Test
    void redirectToAnotherHostIsRefused() {
        assertThatThrownBy(() -> fetch(server.url("elsewhere/Dockerfile"), credentials(PASSWORD), null))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("redirects to http://localhost:1")
                .hasMessageContaining("followed only to the same scheme, host and port");
    }

    @Test
    void unsupportedSchemeIsNamed() {
        assertThatThrownBy(() -> fetch("ftp://127.0.0.1/Dockerfile", Credentials.NONE, null))
                .isInstanceOf(SourceException.class)
                .hasMessage("unsupported URL scheme 'ftp' in dockerfile.url (ftp://127.0.0.1/Dockerfile); accepted:"
                        + " http, https");
    }

    @Test
    void connectionRefused() {
        assertThatThrownBy(() -> fetch("http://127.0.0.1:1/Dockerfile", Credentials.NONE, null))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("cannot connect to http://127.0.0.1:1/Dockerfile");
    }

    @Test
    void buildContextFromGitWithSubdir() throws Exception {
        Source.BuildContext context = new Source.BuildContext(contextRepo.fileUrl(), "service", null,
                Credentials.NONE);

        FetchedSource fetched = fetch(server.url("files/Dockerfile"), credentials(PASSWORD), context);

        Path realWork = work.toRealPath();
        assertThat(fetched.context()).isEqualTo(realWork.resolve("context-repo/service"));
        assertThat(fetched.context().resolve("app.py")).exists();
        // the Dockerfile stays outside the context; the builder passes it with -f
        assertThat(fetched.dockerfile()).isEqualTo(realWork.resolve("Dockerfile"));
        assertThat(log.lines()).contains("cloning " + contextRepo.fileUrl() + " (version HEAD)");
    }

    @Test
    void buildContextFromGitWithoutSubdirIsTheWholeRepository() throws Exception {
        Source.BuildContext context = new Source.BuildContext(contextRepo.fileUrl(), null, null, Credentials.NONE);

        FetchedSource fetched = fetch(server.url("files/Dockerfile"), credentials(PASSWORD), context);

        assertThat(fetched.context()).isEqualTo(work.toRealPath().resolve("context-repo"));
        assertThat(fetched.context().resolve("README")).exists();
    }

    @Test
    void subdirCannotLeaveTheRepository() {
        Source.BuildContext context = new Source.BuildContext(contextRepo.fileUrl(), "../..", null, Credentials.NONE);

        assertThatThrownBy(() -> fetch(server.url("files/Dockerfile"), credentials(PASSWORD), context))
                .isInstanceOf(SourceException.class)
                .hasMessage("build_context.subdir '../..' leads outside the build context repository");
    }

    @Test
    void missingSubdirIsNamed() {
        Source.BuildContext context = new Source.BuildContext(contextRepo.fileUrl(), "absent", null,
                Credentials.NONE);

        assertThatThrownBy(() -> fetch(server.url("files/Dockerfile"), credentials(PASSWORD), context))
                .isInstanceOf(SourceException.class)
                .hasMessage("the build context repository has no directory absent (build_context.subdir)");
    }

    @Test
    void buildContextFromALocalDirectory() throws Exception {
        Path local = Files.createDirectory(base.resolve("local-context"));
        Files.writeString(local.resolve("data.txt"), "data\n");

        FetchedSource fetched = fetch(server.url("files/Dockerfile"), credentials(PASSWORD),
                new Source.BuildContext(null, null, local.toString(), Credentials.NONE));

        assertThat(fetched.context()).isEqualTo(local.toRealPath());
        assertThat(fetched.dockerfile()).isEqualTo(work.toRealPath().resolve("Dockerfile"));
    }

    @Test
    void missingLocalBuildContext() {
        Path absent = base.resolve("absent");

        assertThatThrownBy(() -> fetch(server.url("files/Dockerfile"), credentials(PASSWORD),
                new Source.BuildContext(null, null, absent.toString(), Credentials.NONE)))
                .isInstanceOf(SourceException.class)
                .hasMessage("build_context.path " + absent + " does not exist");
    }

    @Test
    void downloadLimitIsEnforcedBeforeWriting() throws Exception {
        DownloadFileStep small = new DownloadFileStep(log, new Cancellation(), 8, Duration.ofMinutes(1));
        Path target = work.resolve("Dockerfile");

        assertThatThrownBy(() -> small.run(server.url("files/Dockerfile"), credentials(PASSWORD), "dockerfile.url",
                target))
                .isInstanceOf(SourceException.class)
                .hasMessage(server.url("files/Dockerfile") + " is larger than the limit of 8 bytes");
        assertThat(target).doesNotExist();
    }

    @Test
    void downloadLimitHoldsWithoutContentLength() {
        DownloadFileStep small = new DownloadFileStep(log, new Cancellation(), 8, Duration.ofMinutes(1));
        Path target = work.resolve("Dockerfile");

        assertThatThrownBy(() -> small.run(server.url("files/Dockerfile?chunked"), credentials(PASSWORD),
                "dockerfile.url", target))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("is larger than the limit of 8 bytes");
        assertThat(target).doesNotExist();
    }

    @Test
    void cancellationStopsARunningDownload() throws Exception {
        Cancellation cancellation = new Cancellation();
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            cancellation.cancel();
        });
        canceller.start();
        long start = System.nanoTime();

        assertThatThrownBy(() -> new FetchSourceStep(log, cancellation).run(
                new Source.DockerfileUrl(server.url("stalled/Dockerfile"), credentials(PASSWORD), null), work))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.cancelled()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        canceller.join();
        assertThat(work.resolve("Dockerfile")).doesNotExist();
    }

    @Test
    void stalledDownloadTimesOut() {
        DownloadFileStep step = new DownloadFileStep(log, new Cancellation(), 1 << 20, Duration.ofSeconds(1));

        assertThatThrownBy(() -> step.run(server.url("stalled/Dockerfile"), credentials(PASSWORD), "dockerfile.url",
                work.resolve("Dockerfile")))
                .isInstanceOf(SourceException.class)
                .hasMessage("downloading " + server.url("stalled/Dockerfile") + " timed out after 1 s");
    }

    @Test
    void cancelledDownload() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();
        DownloadFileStep step = new DownloadFileStep(log, cancellation);

        assertThatThrownBy(() -> step.run(server.url("files/Dockerfile"), credentials(PASSWORD), "dockerfile.url",
                work.resolve("Dockerfile")))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.cancelled()).isTrue());
    }
}
