package io.imagebuilder.imagebuild.params;

/**
 * Where the image's Dockerfile and build context come from: exactly one of these modes, as SODALITE's
 * build_params.source names them.
 */
public sealed interface Source {

    /** {@code source.git_repo}: a repository holding the Dockerfile and the context. */
    record Git(String url, String version, Credentials credentials, String workdir, String dockerfile)
            implements Source {
    }

    /**
     * {@code source.dockerfile}: a Dockerfile fetched from a URL, built with an empty context or with
     * {@code source.build_context} (null when absent).
     */
    record DockerfileUrl(String url, Credentials credentials, BuildContext context) implements Source {
    }

    /** {@code source.tar}: a tar or tar.gz archive of the build context (with its Dockerfile), from a URL or a path. */
    record Tar(String url, String path, Credentials credentials) implements Source {
    }

    /** {@code source.path}: a local directory holding the Dockerfile and the context. */
    record LocalPath(String path) implements Source {
    }

    /** {@code source.build_context}: a git repository (optionally a subdirectory of it) or a local directory. */
    record BuildContext(String url, String subdir, String path, Credentials credentials) {
    }
}
