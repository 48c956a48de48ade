package io.imagebuilder.imagebuild.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The credential helper as the docker client runs it: a process per request, several at once. */
class CredentialHelperTest {

    private static final String PASSWORD = "pa$$ \"word\" {{ x }}";

    @TempDir
    Path dir;

    private Process helper(String command) throws Exception {
        return new ProcessBuilder(dir.resolve("bin/docker-credential-imagebuilder").toString(), command)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void everyConcurrentReaderGetsTheCredentialsExactlyOnce() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        try (CredentialHelper ignored = CredentialHelper.install(dir.resolve("bin")).serve(dir.resolve("config"),
                "registry.example:5000", "builder", PASSWORD)) {
            List<Process> readers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Process p = helper("get");
                p.getOutputStream().write("registry.example:5000".getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
                readers.add(p);
            }
            for (Process p : readers) {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                JsonNode answer = new ObjectMapper().readTree(out); // a second copy would make this no JSON
                assertThat(answer.path("Secret").asText()).isEqualTo(PASSWORD);
                assertThat(answer.path("Username").asText()).isEqualTo("builder");
                assertThat(answer.path("ServerURL").asText()).isEqualTo("registry.example:5000");
            }

            Process store = helper("store");
            store.getOutputStream().write(("{\"Secret\": \"" + "stored" + "\"}").getBytes(StandardCharsets.UTF_8));
            store.getOutputStream().close();
            assertThat(store.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(store.exitValue()).isZero();

            JsonNode config = new ObjectMapper().readTree(dir.resolve("config/config.json").toFile());
            assertThat(config.path("credHelpers").path("registry.example:5000").asText()).isEqualTo("imagebuilder");
            assertThat(filesHolding(PASSWORD)).isEmpty();
            assertThat(filesHolding("stored")).isEmpty();
        }
    }

    @Test
    void closingEndsTheServiceEvenWithNoReader() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        CredentialHelper helper = CredentialHelper.install(dir.resolve("bin")).serve(dir.resolve("config"), "r", "u",
                "p");
        long started = System.nanoTime();
        helper.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(dir.resolve("bin")).doesNotExist();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("registry-credentials"));
    }

    @Test
    void aHelperInstalledButNeverGivenCredentialsLeavesNothingBehind() throws Exception {
        CredentialHelper helper = CredentialHelper.install(dir.resolve("bin"));
        assertThat(dir.resolve("bin/credentials")).exists();
        Process early = helper("get"); // a client that asks before any credentials are given waits for them
        assertThat(early.waitFor(200, TimeUnit.MILLISECONDS)).isFalse();
        helper.close();
        assertThat(early.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(early.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).doesNotContain("Secret");
        assertThat(dir.resolve("bin")).doesNotExist();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("registry-credentials"));
    }

    private List<Path> filesHolding(String text) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Files.readString(p, StandardCharsets.ISO_8859_1).contains(text);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
