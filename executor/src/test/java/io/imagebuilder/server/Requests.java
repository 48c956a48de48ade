package io.imagebuilder.server;

import io.imagebuilder.testenv.DockerfileRepos;
import io.imagebuilder.testenv.TestEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;

/** Build requests for the loopback engine and registry, as an API client posts them. */
final class Requests {

    private Requests() {
    }

    /** A git repository with one commit holding {@code dockerfile}; its file:// URL. */
    static String gitRepo(Path dir, String dockerfile) throws Exception {
        return DockerfileRepos.create(dir, dockerfile);
    }

    /** The commit a repository made by {@link #gitRepo} is at. */
    static String head(Path dir) throws Exception {
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(dir.toFile())) {
            return git.getRepository().resolve("HEAD").name();
        }
    }

    /** A wrapped request: build_params for one image from {@code gitUrl}, the registry password beside it. */
    static String build(TestEnvironment env, String gitUrl, String image, String tag, String platforms) {
        return """
                {
                  "build_params": {
                    "source": {"git_repo": {"url": "%s"}},
                    "target": {
                      "images": [{"image": "%s", "tag": "%s"%s}],
                      "registry": {"url": "%s", "username": "%s", "insecure": true}
                    }
                  },
                  "registry_password": "%s"
                }
                """.formatted(gitUrl, image, tag, platforms == null ? "" : ", \"platforms\": " + platforms,
                env.registry(), env.registryUser(), env.registryPassword());
    }

    /** A bare build_params document whose registry password sits inside it. */
    static String bare(String image, String tag, String password) {
        return """
                {
                  "source": {"dockerfile": {"url": "http://127.0.0.1:8000/no_context/Dockerfile"}},
                  "target": {
                    "images": [{"image": "%s", "tag": "%s"}],
                    "registry": {"url": "127.0.0.1:5000", "username": "builder", "password": "%s"}
                  }
                }
                """.formatted(image, tag, password);
    }
}
