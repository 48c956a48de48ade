package io.imagebuilder.imagebuild.lock;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.source.Material;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A build held to a lock: refused when it is not the build the lock records, else built on pinned bases. */
class PinBasesStepTest {

    private static final String INDEX = "sha256:" + "1".repeat(64);
    private static final String AMD64 = "sha256:" + "2".repeat(64);

    @TempDir
    Path tmp;

    private BuildUnit unit(String platform, Path dockerfile) {
        ImageSpec spec = new ImageSpec("app", "1", null, List.of(Platform.parse(platform)));
        return new BuildUnit(spec, Platform.parse(platform), "registry.example.org/app:1", "registry.example.org/app:1",
                tmp, dockerfile);
    }

    private static BuildLock lock(String dockerfile, String platform, BuildLock.LockedBase base) {
        return new BuildLock(1, "image-builder", List.of(), Map.of(), List.of(), List.of(new BuildLock.LockedUnit(
                "registry.example.org/app:1", platform, dockerfile, List.of(base), null, null)));
    }

    @Test
    void everyBaseIsPinnedByTheDigestOfItsList() throws Exception {
        Path dockerfile = Files.writeString(tmp.resolve("Dockerfile"), "FROM debian:12\nRUN true\n");
        BuildLock lock = lock(Material.sha256(dockerfile), "linux/amd64",
                new BuildLock.LockedBase("debian:12", AMD64, INDEX, null));

        List<BuildUnit> pinned = PinBasesStep.run(List.of(unit("linux/amd64", dockerfile)), lock, Map.of(),
                tmp.resolve("work"), LineSink.DISCARD);

        assertThat(Files.readString(pinned.get(0).dockerfile())).isEqualTo("FROM debian:12@" + INDEX + "\nRUN true\n");
        assertThat(Files.readString(dockerfile)).as("the fetched Dockerfile is left as it is")
                .isEqualTo("FROM debian:12\nRUN true\n");
    }

    @Test
    void aBuildThatIsNotTheLockedOneIsRefusedNamingWhatDiffers() throws Exception {
        Path dockerfile = Files.writeString(tmp.resolve("Dockerfile"), "FROM debian:12\n");
        String digest = Material.sha256(dockerfile);
        BuildLock.LockedBase base = new BuildLock.LockedBase("debian:12", AMD64, null, null);
        Path work = tmp.resolve("work");

        assertThatThrownBy(() -> PinBasesStep.run(List.of(unit("linux/amd64", dockerfile), unit("linux/arm64",
                dockerfile)), lock(digest, "linux/amd64", base), Map.of(), work, LineSink.DISCARD))
                .isInstanceOf(BuildException.class)
                .hasMessage("the lock records 1 images and platforms, and build_params asks for 2: the lock is of "
                        + "another build");
        assertThatThrownBy(() -> PinBasesStep.run(List.of(unit("linux/arm64", dockerfile)),
                lock(digest, "linux/amd64", base), Map.of(), work, LineSink.DISCARD))
                .hasMessage("app:1 linux/arm64: the lock records linux/amd64 in its place");
        assertThatThrownBy(() -> PinBasesStep.run(List.of(unit("linux/amd64", dockerfile)),
                lock("sha256:" + "9".repeat(64), "linux/amd64", base), Map.of(), work, LineSink.DISCARD))
                .hasMessage("app:1 linux/amd64: the Dockerfile is not the one the lock records (" + digest
                        + ", locked sha256:" + "9".repeat(64) + ")");
        assertThatThrownBy(() -> PinBasesStep.run(List.of(unit("linux/amd64", dockerfile)), lock(digest,
                "linux/amd64", new BuildLock.LockedBase("debian:12", null, null, "the registry answered 401")),
                Map.of(), work, LineSink.DISCARD))
                .hasMessage("app:1 linux/amd64: the lock records no digest for its base debian:12 (the registry "
                        + "answered 401)");
    }
}
