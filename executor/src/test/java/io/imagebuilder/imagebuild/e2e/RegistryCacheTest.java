package io.imagebuilder.imagebuild.e2e;

import io.imagebuilder.testenv.Cli;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A build on one host pushes its BuildKit cache to the registry; a build of the same Dockerfile on the other host,
 * which has never built it, reuses that cache instead of running the slow step again.
 */
class RegistryCacheTest {

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    @Test
    void theSecondHostStartsFromTheCacheTheFirstPushed() throws Exception {
        String nonce = Long.toString(System.nanoTime(), 36);
        Path context = Files.createDirectories(tmp.resolve("context"));
        // a step no host has in its own cache: built once on host 1, then only ever taken from the cache
        Files.writeString(context.resolve("Dockerfile"), "FROM " + env.baseImage() + "\n"
                + "RUN echo " + nonce + " > /slow && sleep 4 && echo slow-step-ran-$((40+2))\n");
        String cache = "tests/cache-" + nonce;

        Cli first = build(1, context, "tests/cached-app", "first", "  cache:\n    to: " + cache + "\n");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("slow-step-ran-42").contains("cache pushed to " + env.registry() + "/"
                + cache + ":latest");
        assertThat(new Registry(env).manifest(cache, "latest").status()).as("the cache in the registry")
                .isEqualTo(200);
        String tags = new Engine(env, 1, Engine.privateConfig(tmp)).docker("images", "--format",
                "{{.Repository}}:{{.Tag}}");
        assertThat(tags).as("tags on host 1").contains(env.registry() + "/tests/cached-app:first")
                .doesNotContain(cache);

        Cli second = build(2, context, "tests/cached-app", "second", "  cache:\n    from: [" + cache + "]\n");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).as("host 2 took the step from the cache")
                .contains("importing cache manifest from " + env.registry() + "/" + cache + ":latest")
                .doesNotContain("slow-step-ran-42");
        assertThat(stepLines(second.out())).contains(" CACHED");
    }

    @Test
    void aMissingCacheIsSkipped() throws Exception {
        Path context = Files.createDirectories(tmp.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + env.baseImage() + "\nRUN true\n");
        Cli run = build(1, context, "tests/cached-app", "missing", "  cache:\n    from: [tests/no-such-cache]\n");
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private Cli build(int host, Path context, String image, String tag, String cache) throws Exception {
        Path file = tmp.resolve("build-" + tag + ".yaml");
        Files.writeString(file, "build_params:\n  source:\n    path: " + q(context.toString()) + "\n"
                + "  target:\n    images:\n      - image: " + q(image) + "\n        tag: " + tag + "\n"
                + "    registry:\n      url: " + q(env.registry()) + "\n      username: " + q(env.registryUser()) + "\n"
                + cache
                + BuildFiles.host(env, host) + BuildFiles.registryPassword(env));
        return Cli.run("build", "--state-dir", tmp.resolve("state-" + tag).toString(), file.toString());
    }

    /** What BuildKit said of the RUN step: its lines after the header ("#6 [2/2] RUN ..."), joined. */
    private static String stepLines(String out) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(#\\d+) \\[2/2\\] RUN echo").matcher(out);
        assertThat(m.find()).as("the RUN step's header in " + out).isTrue();
        String step = m.group(1) + " ";
        return String.join("\n", out.lines().filter(l -> l.contains(step)).toList());
    }

    private static String q(String value) {
        return BuildFailuresTest.q(value);
    }
}
