package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.params.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A local directory is used where it is, as the context, with its own Dockerfile. */
class LocalPathSourceTest {

    @TempDir
    Path base;

    private final CapturedLog log = new CapturedLog();

    private FetchedSource fetch(Path path) throws Exception {
        Path work = Files.createDirectories(base.resolve("work"));
        return new FetchSourceStep(log, new Cancellation()).run(new Source.LocalPath(path.toString()), work);
    }

    @Test
    void theDirectoryItselfIsTheContext() throws Exception {
        Path dir = Files.createDirectory(base.resolve("project"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM local\n");

        FetchedSource fetched = fetch(dir);

        assertThat(fetched.context()).isEqualTo(dir.toRealPath());
        assertThat(fetched.dockerfile()).isEqualTo(dir.toRealPath().resolve("Dockerfile"));
        try (Stream<Path> copied = Files.list(base.resolve("work"))) {
            assertThat(copied).isEmpty();
        }
        assertThat(log.lines()).contains("using the local directory " + dir.toRealPath());
    }

    @Test
    void aDockerfileLargerThanTheLimitIsRefused() throws Exception {
        Path dir = Files.createDirectory(base.resolve("project"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM local\n" + "#".repeat(4096 - 11));
        Path work = Files.createDirectories(base.resolve("work"));
        SourceLimits limits = new SourceLimits(2048, SourceLimits.DEFAULT_CONTEXT_BYTES);

        assertThatThrownBy(() -> new FetchSourceStep(log, new Cancellation(), null, limits)
                .run(new Source.LocalPath(dir.toString()), work))
                .isInstanceOf(SourceException.class)
                .hasMessage("the Dockerfile is 4 KiB, larger than the limit of 2 KiB (max_dockerfile_bytes)");
        assertThat(SourceLimits.DEFAULT.maxDockerfileBytes()).isEqualTo(1 << 20);
    }

    @Test
    void missingDirectory() {
        Path absent = base.resolve("absent");

        assertThatThrownBy(() -> fetch(absent))
                .isInstanceOf(SourceException.class)
                .hasMessage("path " + absent + " does not exist");
    }

    @Test
    void aFileIsNotADirectory() throws Exception {
        Path file = Files.writeString(base.resolve("file"), "x");

        assertThatThrownBy(() -> fetch(file))
                .isInstanceOf(SourceException.class)
                .hasMessage("path " + file.toRealPath() + " is not a directory");
    }

    @Test
    void missingDockerfile() throws Exception {
        Path dir = Files.createDirectory(base.resolve("project"));

        assertThatThrownBy(() -> fetch(dir))
                .isInstanceOf(SourceException.class)
                .hasMessage("the directory " + dir.toRealPath() + " has no Dockerfile");
    }

    @Test
    void dockerfileLinkingOutsideTheDirectoryIsRefused() throws Exception {
        Path dir = Files.createDirectory(base.resolve("project"));
        Path outside = Files.writeString(base.resolve("elsewhere"), "FROM elsewhere\n");
        Files.createSymbolicLink(dir.resolve("Dockerfile"), outside);

        assertThatThrownBy(() -> fetch(dir))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("leads outside the directory " + dir.toRealPath() + " through a symbolic link");
    }
}
