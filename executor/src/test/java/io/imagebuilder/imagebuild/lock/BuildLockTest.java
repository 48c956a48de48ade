package io.imagebuilder.imagebuild.lock;

import io.imagebuilder.imagebuild.source.Material;
import io.imagebuilder.testenv.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lock file's form: written and read back unchanged, and a file that is not a lock refused with where. */
class BuildLockTest {

    @TempDir
    Path tmp;

    private static BuildLock sample() {
        return new BuildLock(BuildLock.VERSION, "image-builder 1.0", List.of(
                Material.git("git_repo.url", "https://git.example.org/app.git", "main", "a".repeat(40),
                        java.time.Instant.parse("2026-11-30T10:15:00Z")),
                new Material("download", "tar.url", "https://files.example.org/app.tar", null, null, null,
                        "sha256:" + "b".repeat(64), 1234L)),
                Map.of("B", "2", "A", "1"), List.of("npm_token"), List.of(new BuildLock.LockedUnit(
                "registry.example.org/app:1", "linux/arm64", "sha256:" + "c".repeat(64),
                List.of(new BuildLock.LockedBase("debian:12", "sha256:" + "d".repeat(64), "sha256:" + "e".repeat(64),
                        null)), "ssh://root@build-1", "Docker 20.10.24")));
    }

    @Test
    void aWrittenLockReadsBackEqualWithSnakeCaseKeysSortedArgumentsAndNoEmptyFields() throws Exception {
        Path file = tmp.resolve(BuildLock.FILE_NAME);
        sample().write(file);
        String text = Files.readString(file);
        assertThat(text).contains("\"lock_version\" : 1", "\"build_args\"", "\"commit\" : \"" + "a".repeat(40))
                .doesNotContain("null", "\"problem\"");
        assertThat(text.indexOf("\"A\"")).isLessThan(text.indexOf("\"B\""));
        assertThat(BuildLock.read(file)).isEqualTo(sample());
        assertThat(BuildLock.fromMap(sample().toMap())).isEqualTo(sample());
        try (var left = Files.list(tmp)) {
            assertThat(left).as("no temporary file is left beside it").containsExactly(file);
        }
    }

    @Test
    void brokenJsonIsRefusedWithItsLineAndColumn() throws Exception {
        Path file = tmp.resolve("broken.json");
        Files.writeString(file, "{\n  \"lock_version\": 1,\n  \"units\": [ }\n");
        assertThatThrownBy(() -> BuildLock.read(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ":3:")
                .hasMessageContaining("not a lock file")
                .hasMessageNotContaining("Source:");
    }

    @Test
    void anotherFormatVersionIsRefused() throws Exception {
        Path file = tmp.resolve("future.json");
        Files.writeString(file, sample().toJson().replace("\"lock_version\" : 1", "\"lock_version\" : 7"));
        assertThatThrownBy(() -> BuildLock.read(file)).hasMessage(file + ": lock_version 7 is not one this "
                + "version reads (1)");
    }

    @Test
    void verifyOfAFileThatIsNotALockIsInvalidInputAndChecksNothing() throws Exception {
        Path file = tmp.resolve("inputs.yaml");
        Files.writeString(file, "build_params: {}\n");
        Cli run = Cli.run("verify", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":1:1: not a lock file");
        assertThat(run.out()).isEmpty();
    }
}
