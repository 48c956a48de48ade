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

    /**
     * {@code source.image}: an image in a registry, edited without a Docker engine: files added as one new layer,
     * and its configuration changed. Every platform it has is kept.
     */
    record ImageEdit(String image, java.util.List<AddedFile> add, ImageConfig config) implements Source {

        public ImageEdit {
            add = java.util.List.copyOf(add);
        }
    }

    /** One file or directory of the executor's machine added to an edited image, with its mode (null: kept). */
    record AddedFile(String src, String dest, Integer mode) {
    }

    /**
     * The configuration an edited image gets; each null (or empty) part is kept as the base image has it, and
     * {@code env} and {@code labels} are added to the base image's.
     */
    record ImageConfig(java.util.Map<String, String> env, java.util.List<String> entrypoint,
                       java.util.List<String> cmd, java.util.Map<String, String> labels, String user,
                       String workdir) {

        public static final ImageConfig KEPT = new ImageConfig(java.util.Map.of(), null, null, java.util.Map.of(),
                null, null);

        public ImageConfig {
            env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
            labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
            entrypoint = entrypoint == null ? null : java.util.List.copyOf(entrypoint);
            cmd = cmd == null ? null : java.util.List.copyOf(cmd);
        }
    }

    /**
     * build_params' {@code layers}, in place of {@code source}: images described as layers, OpenCHAMI's way, each
     * pushed and each usable as a later one's parent.
     */
    record Layers(java.util.List<Layer> layers) implements Source {

        public Layers {
            layers = java.util.List.copyOf(layers);
        }
    }

    /**
     * One layer: the image it becomes ({@code image}:{@code tag} in the target registry) and how it is made, from a
     * parent that is an image reference or the {@code name} of an earlier layer.
     */
    record Layer(String name, String image, String tag, PackageLayer packages, AnsibleLayer ansible) {

        /** The layer this one is made on: an image reference, scratch, or an earlier layer's name. */
        public String parent() {
            return packages != null ? packages.parent() : ansible.parent();
        }
    }

    /**
     * A layer made by applying an Ansible playbook (a file of this machine) to a running container of the parent,
     * which is in the inventory groups given, then committing the container.
     */
    record AnsibleLayer(String parent, String playbook, java.util.List<String> groups) {

        public AnsibleLayer {
            groups = java.util.List.copyOf(groups);
        }
    }

    /**
     * A layer made with a package manager ({@code apt}, {@code dnf} or {@code zypper}): repositories added (a
     * sources line or base URL, or a local directory of this machine holding a flat repository), packages and
     * package groups installed, then commands run.
     */
    record PackageLayer(String parent, String manager, java.util.List<String> repositories,
                        java.util.List<String> packages, java.util.List<String> groups,
                        java.util.List<String> commands) {

        public PackageLayer {
            repositories = java.util.List.copyOf(repositories);
            packages = java.util.List.copyOf(packages);
            groups = java.util.List.copyOf(groups);
            commands = java.util.List.copyOf(commands);
        }
    }

    /** {@code source.build_context}: a git repository (optionally a subdirectory of it) or a local directory. */
    record BuildContext(String url, String subdir, String path, Credentials credentials) {
    }
}
