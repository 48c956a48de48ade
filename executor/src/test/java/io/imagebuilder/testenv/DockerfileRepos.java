package io.imagebuilder.testenv;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

import java.nio.file.Files;
import java.nio.file.Path;

/** Git repositories made for a test: one commit holding a Dockerfile. */
public final class DockerfileRepos {

    private DockerfileRepos() {
    }

    /** Creates the repository in {@code dir}; returns its file:// URL. */
    public static String create(Path dir, String dockerfile) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        PersonIdent author = new PersonIdent("Test Author", "author@example.org");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Dockerfile").setAuthor(author).setCommitter(author).call();
        }
        return dir.toUri().toString();
    }
}
