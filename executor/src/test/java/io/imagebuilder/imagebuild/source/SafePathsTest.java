package io.imagebuilder.imagebuild.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Resolution of user-given paths and of symbolic links, by the file system's rules. */
class SafePathsTest {

    @TempDir
    Path base;

    @Test
    void relativePathsStayInside() throws Exception {
        Path root = base.toRealPath();

        assertThat(SafePaths.inside(root, "a/./b/../c", "f", "the root")).isEqualTo(root.resolve("a/c"));
        assertThat(SafePaths.inside(root, "", "f", "the root")).isEqualTo(root);
        assertThat(SafePaths.inside(root, null, "f", "the root")).isEqualTo(root);
        assertThatThrownBy(() -> SafePaths.inside(root, "a/../../x", "f", "the root"))
                .hasMessage("f 'a/../../x' leads outside the root");
        assertThatThrownBy(() -> SafePaths.inside(root, "/x", "f", "the root"))
                .hasMessage("f '/x' must be a path relative to the root, not an absolute path");
    }

    @Test
    void existingFollowsLinksButOnlyInside() throws Exception {
        Path root = Files.createDirectory(base.resolve("root")).toRealPath();
        Files.writeString(root.resolve("real"), "x");
        Files.createSymbolicLink(root.resolve("inside"), Path.of("real"));
        Files.createSymbolicLink(root.resolve("outside"), base.resolve("elsewhere"));
        Files.writeString(base.resolve("elsewhere"), "y");
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("nothing"));

        assertThat(SafePaths.existing(root, root.resolve("inside"), "f", "inside", "r")).isEqualTo(root.resolve("real"));
        assertThat(SafePaths.existing(root, root.resolve("absent"), "f", "absent", "r")).isNull();
        assertThatThrownBy(() -> SafePaths.existing(root, root.resolve("outside"), "f", "outside", "r"))
                .hasMessage("f 'outside' leads outside r through a symbolic link");
        assertThatThrownBy(() -> SafePaths.existing(root, root.resolve("dangling"), "f", "dangling", "r"))
                .hasMessageContaining("is a symbolic link to something that does not exist");
    }

    @Test
    void linkResolutionFollowsTheFileSystemNotTheText() throws Exception {
        Path root = Files.createDirectory(base.resolve("root")).toRealPath();
        Files.createDirectories(root.resolve("d/e"));
        Files.createSymbolicLink(root.resolve("here"), Path.of("."));
        Files.createSymbolicLink(root.resolve("parent"), Path.of("here/.."));
        Files.createSymbolicLink(root.resolve("deep"), Path.of("d/e"));
        Files.createSymbolicLink(root.resolve("up_from_deep"), Path.of("deep/.."));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        Files.createSymbolicLink(root.resolve("future"), Path.of("not/yet/there"));

        assertThat(SafePaths.linkStaysInside(root, root.resolve("here"))).isTrue();
        assertThat(SafePaths.linkStaysInside(root, root.resolve("parent"))).isFalse();
        assertThat(SafePaths.linkStaysInside(root, root.resolve("up_from_deep"))).isTrue();
        assertThat(SafePaths.linkStaysInside(root, root.resolve("loop"))).isFalse();
        assertThat(SafePaths.linkStaysInside(root, root.resolve("future"))).isTrue();
    }
}
