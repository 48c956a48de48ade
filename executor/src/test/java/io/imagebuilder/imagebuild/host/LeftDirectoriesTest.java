package io.imagebuilder.imagebuild.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LeftDirectoriesTest {

    @TempDir
    Path tmp;

    @Test
    void removesTheDirectoriesOfProcessesThatAreGoneAndKeepsTheOthers() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path dead = Files.createDirectories(tmp.resolve("ib-" + ended.pid() + "-123/config"));
        Files.writeString(dead.resolve("config.json"), "{}");
        Path alive = Files.createDirectories(tmp.resolve(LeftDirectories.prefix() + "456"));
        Path other = Files.createDirectories(tmp.resolve("ib-ssh-789"));

        LeftDirectories.remove(tmp);

        assertThat(tmp.resolve("ib-" + ended.pid() + "-123")).doesNotExist();
        assertThat(alive).isDirectory();
        assertThat(other).isDirectory();
    }
}
