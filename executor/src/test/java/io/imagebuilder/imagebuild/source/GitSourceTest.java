package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.params.Credentials;
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

/** Git sources over file:// URLs: versions, workdir and dockerfile, and paths that try to leave the clone. */
class GitSourceTest {

    /** Holds the remote, the work directory and an "outside" directory the repository's links point to. */
    @TempDir
    Path base;
    Path remoteDir;
    Path work;
    Path outside;

    private TestRepo remote;
    private RevCommit first;
    private RevCommit second;
    private final CapturedLog log = new CapturedLog();

    @BeforeEach
    void createRemote() throws Exception {
        remoteDir = Files.createDirectory(base.resolve("remote"));
        work = Files.createDirectory(base.resolve("work"));
        outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "not for the build\n");
        remote = TestRepo.create(remoteDir.resolve("project"));
        first = remote.write("Dockerfile", "FROM first\n").write("code_dir/app.txt", "app one\n").commit("first");
        remote.tag("v1").lightweightTag("light").branch("dev").checkout("dev");
        remote.write("Dockerfile", "FROM dev\n").commit("on dev");
        remote.checkout("main");
        second = remote.write("Dockerfile", "FROM second\n")
                .write("docker_dir/Dockerfile", "FROM nested\n")
                .write("code_dir/app.txt", "app two\n")
                .symlink("etc_link", outside.toString())
                .symlink("passwd_link", outside.resolve("secret").toString())
                .symlink("up", "../../outside")
                .symlink("inside_link", "docker_dir/Dockerfile")
                .commit("second");
    }

    @AfterEach
    void closeRemote() {
        remote.close();
    }

    private FetchedSource fetch(String version) throws Exception {
        return fetch(version, null, null);
    }

    private FetchedSource fetch(String version, String workdir, String dockerfile) throws Exception {
        Source.Git source = new Source.Git(remote.fileUrl(), version, Credentials.NONE, workdir, dockerfile);
        return new FetchSourceStep(log, new Cancellation()).run(source, work);
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file);
    }

    @Test
    void defaultVersionIsHeadClonedShallow() throws Exception {
        FetchedSource fetched = fetch(null);

        assertThat(fetched.context()).isEqualTo(work.toRealPath().resolve("repo"));
        assertThat(fetched.dockerfile()).isEqualTo(fetched.context().resolve("Dockerfile"));
        assertThat(read(fetched.dockerfile())).isEqualTo("FROM second\n");
        assertThat(work.resolve("repo/.git/shallow")).exists();
        assertThat(log.lines()).contains("cloning " + remote.fileUrl() + " (version HEAD)");
        assertThat(log.text()).contains("checked out commit " + second.abbreviate(12).name());
    }

    @Test
    void explicitHead() throws Exception {
        assertThat(read(fetch("HEAD").dockerfile())).isEqualTo("FROM second\n");
    }

    @Test
    void branch() throws Exception {
        FetchedSource fetched = fetch("dev");

        assertThat(read(fetched.dockerfile())).isEqualTo("FROM dev\n");
        assertThat(work.resolve("repo/.git/shallow")).exists();
    }

    @Test
    void annotatedTag() throws Exception {
        FetchedSource fetched = fetch("v1");

        assertThat(read(fetched.dockerfile())).isEqualTo("FROM first\n");
        assertThat(read(fetched.context().resolve("code_dir/app.txt"))).isEqualTo("app one\n");
        assertThat(work.resolve("repo/.git/shallow")).exists();
    }

    @Test
    void lightweightTag() throws Exception {
        assertThat(read(fetch("light").dockerfile())).isEqualTo("FROM first\n");
    }

    @Test
    void fullCommitIdIsAFullCloneCheckedOutDetached() throws Exception {
        FetchedSource fetched = fetch(first.name());

        assertThat(read(fetched.dockerfile())).isEqualTo("FROM first\n");
        assertThat(work.resolve("repo/.git/shallow")).doesNotExist();
        String head = Files.readString(work.resolve("repo/.git/HEAD")).trim();
        assertThat(head).isEqualTo(first.name());
    }

    @Test
    void abbreviatedCommitId() throws Exception {
        FetchedSource fetched = fetch(first.name().substring(0, 7));

        assertThat(read(fetched.dockerfile())).isEqualTo("FROM first\n");
    }

    @Test
    void unknownVersionNamesWhatExists() {
        assertThatThrownBy(() -> fetch("nope"))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("has no branch or tag named 'nope'")
                .hasMessageContaining("branches: dev, main")
                .hasMessageContaining("tags: light, v1");
    }

    @Test
    void unknownCommitId() {
        assertThatThrownBy(() -> fetch("deadbeef"))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("has no branch, tag or commit 'deadbeef'");
    }

    @Test
    void workdirAndDockerfileRelativeToTheRepositoryRoot() throws Exception {
        FetchedSource fetched = fetch("main", "code_dir", "docker_dir/Dockerfile");

        Path repo = work.toRealPath().resolve("repo");
        assertThat(fetched.context()).isEqualTo(repo.resolve("code_dir"));
        assertThat(fetched.dockerfile()).isEqualTo(repo.resolve("docker_dir/Dockerfile"));
        assertThat(read(fetched.dockerfile())).isEqualTo("FROM nested\n");
    }

    @Test
    void symbolicLinkInsideTheRepositoryIsFollowed() throws Exception {
        FetchedSource fetched = fetch("main", null, "inside_link");

        assertThat(fetched.dockerfile()).isEqualTo(work.toRealPath().resolve("repo/docker_dir/Dockerfile"));
    }

    @Test
    void missingDockerfileIsNamed() {
        assertThatThrownBy(() -> fetch("v1", null, "docker_dir/Dockerfile"))
                .isInstanceOf(SourceException.class)
                .hasMessage("the repository has no Dockerfile at docker_dir/Dockerfile (version v1)");
    }

    @Test
    void missingWorkdirIsNamed() {
        assertThatThrownBy(() -> fetch("v1", "nowhere", null))
                .isInstanceOf(SourceException.class)
                .hasMessage("the repository has no directory nowhere (git_repo.workdir, version v1)");
    }

    @Test
    void workdirCannotLeaveTheClone() {
        assertThatThrownBy(() -> fetch(null, "../..", null))
                .isInstanceOf(SourceException.class)
                .hasMessage("git_repo.workdir '../..' leads outside the repository");
    }

    @Test
    void dockerfileCannotBeAbsolute() {
        assertThatThrownBy(() -> fetch(null, null, "/etc/passwd"))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("git_repo.dockerfile '/etc/passwd' must be a path relative to the repository");
    }

    @Test
    void dockerfileCannotLeaveByDotDot() {
        assertThatThrownBy(() -> fetch(null, null, "docker_dir/../../Dockerfile"))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("leads outside the repository");
    }

    @Test
    void dockerfileLinkingOutsideIsRefused() {
        assertThatThrownBy(() -> fetch(null, null, "passwd_link"))
                .isInstanceOf(SourceException.class)
                .hasMessage("git_repo.dockerfile 'passwd_link' leads outside the repository through a symbolic link");
    }

    @Test
    void workdirLinkingOutsideIsRefused() {
        assertThatThrownBy(() -> fetch(null, "etc_link", null))
                .isInstanceOf(SourceException.class)
                .hasMessage("git_repo.workdir 'etc_link' leads outside the repository through a symbolic link");
    }

    @Test
    void relativeSymbolicLinkLeadingOutsideIsRefused() {
        assertThatThrownBy(() -> fetch(null, "up", null))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("through a symbolic link");
    }

    @Test
    void symbolicLinksAreCheckedOutAsLinks() throws Exception {
        fetch(null);

        assertThat(Files.isSymbolicLink(work.resolve("repo/etc_link"))).isTrue();
    }

    @Test
    void unsupportedSchemeIsNamed() {
        Source.Git source = new Source.Git("ftp://example.org/repo.git", null, Credentials.NONE, null, null);

        assertThatThrownBy(() -> new FetchSourceStep(log, new Cancellation()).run(source, work))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("unsupported URL scheme 'ftp' in git_repo.url")
                .hasMessageContaining("accepted: https, http, ssh, git, file");
    }

    @Test
    void anAbsolutePathIsALocalRepository() throws Exception {
        Source.Git source = new Source.Git(remote.dir.toString(), null, Credentials.NONE, null, null);

        FetchedSource fetched = new FetchSourceStep(log, new Cancellation()).run(source, work);
        assertThat(fetched.dockerfile()).exists();
    }

    @Test
    void aRelativePathIsNotAUrl() {
        Source.Git source = new Source.Git("some/repo", null, Credentials.NONE, null, null);

        assertThatThrownBy(() -> new FetchSourceStep(log, new Cancellation()).run(source, work))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("is not a URL");
    }

    @Test
    void missingRepository() {
        Source.Git source = new Source.Git(remoteDir.resolve("absent").toUri().toString(), null, Credentials.NONE,
                null, null);

        assertThatThrownBy(() -> new FetchSourceStep(log, new Cancellation()).run(source, work))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining(remoteDir.resolve("absent").toString());
    }

    @Test
    void sshWithoutSettingsIsRefusedBeforeConnecting() {
        Source.Git source = new Source.Git("git@example.invalid:team/repo.git", null, Credentials.NONE, null, null);

        assertThatThrownBy(() -> new FetchSourceStep(log, new Cancellation()).run(source, work))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("no SSH key and known_hosts file are configured");
    }

    @Test
    void aWorkDirectoryInUseIsRefused() throws Exception {
        Files.writeString(work.resolve("leftover"), "from an earlier fetch");

        assertThatThrownBy(() -> fetch(null))
                .isInstanceOf(SourceException.class)
                .hasMessage("the work directory " + work + " is not empty");
    }

    @Test
    void cancelledBeforeStarting() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();
        Source.Git source = new Source.Git(remote.fileUrl(), null, Credentials.NONE, null, null);

        assertThatThrownBy(() -> new FetchSourceStep(log, cancellation).run(source, work))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.cancelled()).isTrue());
        assertThat(work.resolve("repo")).doesNotExist();
    }
}
