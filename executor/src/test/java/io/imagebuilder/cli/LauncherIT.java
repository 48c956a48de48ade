package io.imagebuilder.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/image-builder as users run it: its class data sharing archive, made from the committed class list, holds the
 * classes a build loads, so later runs do not read them from the jars.
 */
class LauncherIT {

    private static final Path REPO = Path.of(System.getProperty("imagebuilder.repo")).toAbsolutePath().normalize();
    private static final Path CLASS_LIST = REPO.resolve("executor/cds/image-builder.classlist");
    private static final Path ARCHIVE = REPO.resolve("executor/target/image-builder.jsa");

    private record Run(int exit, String out) {
    }

    private static Run launch(String javaOptions, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(REPO.resolve("bin/image-builder").toString());
        pb.command().addAll(List.of(args));
        pb.environment().put("IMAGE_BUILDER_JAVA_OPTS", javaOptions);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void aBuildsClassesComeFromTheArchiveMadeFromTheClassList(@TempDir Path tmp) throws Exception {
        Files.deleteIfExists(ARCHIVE);
        assertThat(launch("", "--version").exit()).isZero();
        assertThat(ARCHIVE).exists();
        assertThat(Files.getLastModifiedTime(ARCHIVE)).isGreaterThan(Files.getLastModifiedTime(CLASS_LIST));

        Path params = Files.writeString(tmp.resolve("params.yaml"), """
                source: {git_repo: {url: "https://example.com/app.git"}}
                target:
                  registry: {url: registry.example.com}
                  images: [{image: app, tag: v1}]
                """);
        // -Xshare:on fails the run outright when the archive cannot be used
        Run run = launch("-Xshare:on -Xlog:class+load=info:stdout", "build", "--dry-run", params.toString());
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out())
                .contains("io.imagebuilder.cli.BuildCommand source: shared objects file")
                .contains("io.imagebuilder.imagenode.BuildService source: shared objects file");
    }

    @Test
    void theClassListStillNamesTheExecutorsClasses() throws Exception {
        List<String> ours = Files.readAllLines(CLASS_LIST).stream()
                .filter(l -> l.startsWith("io/imagebuilder/")).toList();
        assertThat(ours).as("classes of the executor in the list").hasSizeGreaterThan(250);
        long missing = ours.stream().filter(name -> {
            try {
                Class.forName(name.replace('/', '.'), false, getClass().getClassLoader());
                return false;
            } catch (ClassNotFoundException | LinkageError e) {
                return true;
            }
        }).count();
        // a list gone stale only slows starting down; one this stale wants scripts/classlist.sh run again
        assertThat(missing).as("listed classes that no longer exist").isLessThan(ours.size() / 20);
        assertThat(ours).contains("io/imagebuilder/imagebuild/host/EngineConnection",
                "io/imagebuilder/imagebuild/pool/ConnectionsAhead", "io/imagebuilder/imagebuild/steps/LoginStep");
    }
}
