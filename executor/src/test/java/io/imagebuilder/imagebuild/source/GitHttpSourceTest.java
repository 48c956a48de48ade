package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.Secret;
import io.imagebuilder.imagebuild.params.Source;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Git over HTTP against a real server: a bare repository served as static files (git's "dumb" protocol) behind
 * basic auth. Credentials must work and must never show up in messages or log lines.
 */
class GitHttpSourceTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret-Pa55word";
    private static final String WRONG_PASSWORD = "wr0ng-Pa55word";

    @TempDir
    Path base;

    private StaticHttpServer server;
    private RevCommit first;
    private final CapturedLog log = new CapturedLog();

    @BeforeEach
    void serveRepository() throws Exception {
        Path served = Files.createDirectory(base.resolve("served"));
        try (TestRepo repo = TestRepo.create(base.resolve("project"))) {
            first = repo.write("Dockerfile", "FROM first\n").commit("first");
            repo.tag("v1");
            repo.write("Dockerfile", "FROM second\n").write("sub/Dockerfile", "FROM sub\n").commit("second");
            TestRepo.updateServerInfo(repo.bareCopy(served.resolve("repo.git")));
        }
        server = StaticHttpServer.start(served, USER, PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FetchedSource fetch(String url, String version, Credentials credentials) throws Exception {
        Path work = Files.createDirectories(base.resolve("work"));
        return new FetchSourceStep(log, new Cancellation()).run(
                new Source.Git(url, version, credentials, null, null), work);
    }

    private static Credentials credentials(String password) {
        return new Credentials(USER, Secret.of(password));
    }

    @Test
    void cloneWithTheRightPassword() throws Exception {
        FetchedSource fetched = fetch(server.url("repo.git"), null, credentials(PASSWORD));

        assertThat(Files.readString(fetched.dockerfile())).isEqualTo("FROM second\n");
        assertThat(log.lines()).contains("cloning " + server.url("repo.git") + " (version HEAD)");
        assertThat(log.text()).doesNotContain(PASSWORD);
    }

    @Test
    void tagOverHttp() throws Exception {
        FetchedSource fetched = fetch(server.url("repo.git"), "v1", credentials(PASSWORD));

        assertThat(Files.readString(fetched.dockerfile())).isEqualTo("FROM first\n");
    }

    @Test
    void commitIdOverHttp() throws Exception {
        FetchedSource fetched = fetch(server.url("repo.git"), first.name().substring(0, 10), credentials(PASSWORD));

        assertThat(Files.readString(fetched.dockerfile())).isEqualTo("FROM first\n");
    }

    @Test
    void wrongPasswordFailsWithoutShowingIt() {
        assertThatThrownBy(() -> fetch(server.url("repo.git"), null, credentials(WRONG_PASSWORD)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("authentication failed for " + server.url("repo.git"))
                .hasMessageContaining("refused the given credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WRONG_PASSWORD).doesNotContain(PASSWORD));
        assertThat(log.text()).doesNotContain(WRONG_PASSWORD);
    }

    @Test
    void noCredentialsSaysTheyAreNeeded() {
        assertThatThrownBy(() -> fetch(server.url("repo.git"), null, Credentials.NONE))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("authentication failed")
                .hasMessageContaining("requires credentials");
    }

    @Test
    void credentialsInTheUrlAreUsedButNeverShown() throws Exception {
        String url = "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.port() + "/repo.git";

        FetchedSource fetched = fetch(url, "v1", Credentials.NONE);

        assertThat(Files.readString(fetched.dockerfile())).isEqualTo("FROM first\n");
        assertThat(log.lines()).contains("cloning " + server.url("repo.git") + " (version v1)");
        assertThat(log.text()).doesNotContain(PASSWORD).doesNotContain(USER + ":");
    }

    @Test
    void wrongCredentialsInTheUrlAreNeverShown() {
        String url = "http://" + USER + ":" + WRONG_PASSWORD + "@127.0.0.1:" + server.port() + "/repo.git";

        assertThatThrownBy(() -> fetch(url, null, Credentials.NONE))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("authentication failed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WRONG_PASSWORD).doesNotContain(USER + ":"));
        assertThat(log.text()).doesNotContain(WRONG_PASSWORD).doesNotContain(USER + ":");
    }

    @Test
    void missingRepositoryOnTheServer() {
        assertThatThrownBy(() -> fetch(server.url("absent.git"), null, credentials(PASSWORD)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining(server.url("absent.git"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }
}
