package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A git repository built with JGit for tests: files, symbolic links, commits, branches and tags. */
final class TestRepo implements AutoCloseable {

    private static final PersonIdent AUTHOR = new PersonIdent("Test Author", "author@example.org");

    final Path dir;
    final Git git;

    private TestRepo(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    static TestRepo create(Path dir) throws Exception {
        Files.createDirectories(dir);
        return new TestRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
    }

    TestRepo write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    TestRepo symlink(String path, String target) throws IOException {
        Path link = dir.resolve(path);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(target));
        return this;
    }

    TestRepo delete(String path) throws IOException {
        Files.delete(dir.resolve(path));
        return this;
    }

    RevCommit commit(String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        return git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
    }

    TestRepo branch(String name) throws Exception {
        git.branchCreate().setName(name).call();
        return this;
    }

    TestRepo checkout(String name) throws Exception {
        git.checkout().setName(name).call();
        return this;
    }

    TestRepo tag(String name) throws Exception {
        git.tag().setName(name).setAnnotated(true).setMessage("release " + name).setTagger(AUTHOR).call();
        return this;
    }

    TestRepo lightweightTag(String name) throws Exception {
        git.tag().setName(name).setAnnotated(false).call();
        return this;
    }

    String fileUrl() {
        return dir.toUri().toString();
    }

    /** A bare copy with every branch and tag, as a server would hold it. */
    Path bareCopy(Path target) throws Exception {
        try (Git bare = Git.cloneRepository().setURI(fileUrl()).setDirectory(target.toFile()).setBare(true)
                .setCloneAllBranches(true).call()) {
            bare.fetch().setRemote(fileUrl()).setRefSpecs("+refs/tags/*:refs/tags/*").call();
        }
        return target;
    }

    /** Writes the index files git's "dumb" HTTP protocol needs (info/refs, objects/info/packs). */
    static void updateServerInfo(Path gitDirectory) throws IOException {
        ProcessResult result = ProcessRunner.run(ProcessRunner.command("git", "update-server-info"), null,
                gitDirectory, null, LineSink.DISCARD, LineSink.DISCARD, Duration.ofMinutes(1), null);
        if (result.exitCode() != 0) throw new IOException("git update-server-info failed in " + gitDirectory);
    }

    @Override
    public void close() {
        git.close();
    }
}
