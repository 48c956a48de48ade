package io.imagebuilder.imagebuild.e2e;

import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.testenv.TestEnvironment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Docker commands run on a loopback engine through its local socket, with a private client configuration. */
final class Engine {

    private final TestEnvironment env;
    private final int host;
    private final Path config;

    Engine(TestEnvironment env, int host, Path config) throws Exception {
        this.env = env;
        this.host = host;
        this.config = config;
        List<String> out = new ArrayList<>();
        ProcessResult login = ProcessRunner.run(ProcessRunner.command(env.dockerClient(), "--config",
                        config.toString(), "login", "--username", env.registryUser(), "--password-stdin",
                        env.registry()), environment(), null,
                env.registryPassword().getBytes(StandardCharsets.UTF_8), out::add, out::add,
                Duration.ofSeconds(60), null);
        if (!login.succeeded()) throw new IllegalStateException("login failed: " + out);
    }

    private Map<String, String> environment() {
        Map<String, String> e = new HashMap<>(System.getenv());
        e.put("DOCKER_HOST", env.dockerSocket(host));
        return e;
    }

    /** Runs docker with the arguments; returns its output, failing when it fails. */
    String docker(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        List<String> out = new ArrayList<>();
        ProcessResult r = ProcessRunner.run(ProcessRunner.command(env.dockerClient(), all), environment(), null, null,
                out::add, out::add, Duration.ofMinutes(5), null);
        if (!r.succeeded()) throw new IllegalStateException("docker " + String.join(" ", args) + ": " + out);
        return String.join("\n", out);
    }

    static Path privateConfig(Path parent) throws Exception {
        return Files.createDirectories(parent.resolve("docker-config"));
    }
}
