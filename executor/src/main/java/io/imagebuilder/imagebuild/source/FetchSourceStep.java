package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.Source;
import io.imagebuilder.ssh.SshIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fetches a build's source (SODALITE's build_params.source) into a private work directory: clones the git
 * repository, downloads the Dockerfile and its build context, or extracts the archive, and tells where the
 * context and the Dockerfile are. Paths written by the user or found in fetched content never lead outside what
 * they belong to.
 *
 * <p>Layout of the work directory: {@code repo} (git_repo), {@code Dockerfile} with {@code context} or
 * {@code context-repo} (dockerfile), {@code archive} and {@code context} (tar), {@code ssh} (the SSH client's
 * private home). A local path is used where it is, not copied.
 */
public final class FetchSourceStep {

    private static final String DOCKERFILE = "Dockerfile";

    private final LineSink log;
    private final Cancellation cancellation;
    private final SshIdentity ssh;
    private final SourceLimits limits;
    private Map<String, Material> locked = Map.of();
    private Path vendor;

    public FetchSourceStep(LineSink log, Cancellation cancellation) {
        this(log, cancellation, null, SourceLimits.DEFAULT);
    }

    /** @param ssh the key and known_hosts file for SSH repositories; null when cloning over SSH is not set up */
    public FetchSourceStep(LineSink log, Cancellation cancellation, SshIdentity ssh, SourceLimits limits) {
        this.log = log == null ? LineSink.DISCARD : log;
        this.cancellation = cancellation == null ? new Cancellation() : cancellation;
        this.ssh = ssh;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * This step held to what a lock records, by the build_params field each came from: a git repository is checked
     * out at the recorded commit, and a download or local archive must have the recorded hash.
     */
    public FetchSourceStep locked(List<Material> materials) {
        Map<String, Material> byField = new java.util.HashMap<>();
        for (Material m : materials) byField.put(m.field(), m);
        this.locked = Map.copyOf(byField);
        return this;
    }

    /**
     * This step, locked, fetching nothing over the network: git repositories are cloned from the bundles and
     * downloads copied from the files that {@code vendor} holds (see {@link VendorMaterialStep}).
     */
    public FetchSourceStep offline(Path vendorDirectory) {
        this.vendor = vendorDirectory;
        return this;
    }

    /** Fetches into workDirectory (empty, private, owned by the caller, who deletes it). */
    public FetchedSource run(Source source, Path workDirectory) throws SourceException, InterruptedException {
        Objects.requireNonNull(source, "source");
        Path work = workDirectory(workDirectory);
        checkCancelled();
        FetchedSource fetched;
        if (source instanceof Source.Git git) fetched = fetchGit(git, work);
        else if (source instanceof Source.DockerfileUrl dockerfile) fetched = fetchDockerfile(dockerfile, work);
        else if (source instanceof Source.Tar tar) fetched = fetchTar(tar, work);
        else if (source instanceof Source.LocalPath local) fetched = useLocalPath(local);
        else throw new SourceException("an image source or layers have nothing to fetch");
        checkDockerfileSize(fetched.dockerfile());
        return fetched;
    }

    private void checkDockerfileSize(Path dockerfile) throws SourceException {
        try {
            long size = Files.size(dockerfile);
            if (size > limits.maxDockerfileBytes()) {
                throw new SourceException("the Dockerfile is " + ByteSizes.human(size) + ", larger than the limit of "
                        + ByteSizes.human(limits.maxDockerfileBytes()) + " (max_dockerfile_bytes)");
            }
        } catch (IOException e) {
            throw new SourceException("cannot read the Dockerfile: " + e.getMessage());
        }
    }

    private FetchedSource fetchGit(Source.Git git, Path work) throws SourceException, InterruptedException {
        Path repo = work.resolve("repo");
        String version = git.version() == null || git.version().isBlank() ? "HEAD" : git.version().trim();
        Material pin = lockedGit("git_repo.url", git.url(), version);
        CloneGitStep.CheckedOut commit = vendor != null && pin != null
                ? cloneStep().run(bundle(pin), Credentials.NONE, pin.commit(), "git_repo.url", repo,
                        work.resolve("ssh"))
                : cloneStep().run(git.url(), git.credentials(), pin == null ? version : pin.commit(), "git_repo.url",
                        repo, work.resolve("ssh"));
        List<Material> materials = List.of(Material.git("git_repo.url", display(git.url(), "git_repo.url"), version,
                commit.commit(), commit.committed()));
        checkCancelled();
        String workdir = orDefault(git.workdir(), ".");
        String dockerfileName = orDefault(git.dockerfile(), DOCKERFILE);
        String where = "the repository";

        Path context = SafePaths.existing(repo, SafePaths.inside(repo, workdir, "git_repo.workdir", where),
                "git_repo.workdir", workdir, where);
        if (context == null || !Files.isDirectory(context)) {
            throw new SourceException("the repository has no directory " + workdir + " (git_repo.workdir, version "
                    + version + ")");
        }
        // relative to the repository's root, not to workdir, as SODALITE had it
        Path dockerfile = SafePaths.existing(repo,
                SafePaths.inside(repo, dockerfileName, "git_repo.dockerfile", where),
                "git_repo.dockerfile", dockerfileName, where);
        if (dockerfile == null || !Files.isRegularFile(dockerfile)) {
            throw new SourceException("the repository has no Dockerfile at " + dockerfileName + " (version "
                    + version + ")");
        }
        return new FetchedSource(context, dockerfile, materials);
    }

    private FetchedSource fetchDockerfile(Source.DockerfileUrl source, Path work)
            throws SourceException, InterruptedException {
        // outside the context: the builder passes it with -f, so it cannot clash with a file of the context
        Path dockerfile = work.resolve(DOCKERFILE);
        if (vendor != null) {
            copyVendored("dockerfile.url", dockerfile);
        } else {
            new DownloadFileStep(log, cancellation, limits.maxDockerfileBytes(), DownloadFileStep.DEFAULT_TIMEOUT)
                    .run(source.url(), source.credentials(), "dockerfile.url", dockerfile);
        }
        List<Material> materials = new ArrayList<>();
        materials.add(downloaded("dockerfile.url", source.url(), dockerfile));
        checkCancelled();
        Source.BuildContext buildContext = source.context();
        Path context;
        if (buildContext == null) {
            context = createDirectory(work.resolve("context"));
        } else if (present(buildContext.url()) && present(buildContext.path())) {
            throw new SourceException("build_context has both url and path; give one of them");
        } else if (present(buildContext.url())) {
            context = cloneContext(buildContext, work, materials);
        } else if (present(buildContext.path())) {
            context = localDirectory(buildContext.path(), "build_context.path");
            materials.add(Material.local("build_context.path", context));
            log.line("using the local directory " + context + " as the build context");
        } else {
            throw new SourceException("build_context has neither url nor path");
        }
        return new FetchedSource(context, real(dockerfile), materials);
    }

    private Path cloneContext(Source.BuildContext buildContext, Path work, List<Material> materials)
            throws SourceException, InterruptedException {
        Path repo = work.resolve("context-repo");
        Material pin = lockedGit("build_context.url", buildContext.url(), "HEAD");
        CloneGitStep.CheckedOut commit = vendor != null && pin != null
                ? cloneStep().run(bundle(pin), Credentials.NONE, pin.commit(), "build_context.url", repo,
                        work.resolve("ssh"))
                : cloneStep().run(buildContext.url(), buildContext.credentials(), pin == null ? "HEAD" : pin.commit(),
                        "build_context.url", repo, work.resolve("ssh"));
        materials.add(Material.git("build_context.url", display(buildContext.url(), "build_context.url"), "HEAD",
                commit.commit(), commit.committed()));
        checkCancelled();
        String subdir = orDefault(buildContext.subdir(), ".");
        String where = "the build context repository";
        Path context = SafePaths.existing(repo, SafePaths.inside(repo, subdir, "build_context.subdir", where),
                "build_context.subdir", subdir, where);
        if (context == null || !Files.isDirectory(context)) {
            throw new SourceException("the build context repository has no directory " + subdir
                    + " (build_context.subdir)");
        }
        return context;
    }

    private FetchedSource fetchTar(Source.Tar tar, Path work) throws SourceException, InterruptedException {
        Path archive;
        String name;
        Material material;
        if (present(tar.url()) && present(tar.path())) {
            throw new SourceException("tar has both url and path; give one of them");
        } else if (present(tar.url())) {
            archive = work.resolve("archive");
            if (vendor != null) copyVendored("tar.url", archive);
            else downloadStep().run(tar.url(), tar.credentials(), "tar.url", archive);
            name = display(tar.url(), "tar.url");
            material = downloaded("tar.url", tar.url(), archive);
        } else if (present(tar.path())) {
            archive = localPath(tar.path(), "tar.path");
            if (!Files.isRegularFile(archive)) throw new SourceException("tar.path " + archive + " is not a file");
            name = archive.toString();
            material = downloaded("tar.path", null, archive);
        } else {
            throw new SourceException("tar has neither url nor path");
        }
        checkCancelled();
        Path context = createDirectory(work.resolve("context"));
        new ExtractArchiveStep(log, cancellation, ExtractArchiveStep.Limits.of(limits)).run(archive, context, name);
        if (archive.startsWith(work)) deleteQuietly(archive);
        Path dockerfile = SafePaths.existing(context, context.resolve(DOCKERFILE), "the Dockerfile", DOCKERFILE,
                "the build context");
        if (dockerfile == null || !Files.isRegularFile(dockerfile)) {
            throw new SourceException("the archive " + name + " has no Dockerfile at its root");
        }
        return new FetchedSource(context, dockerfile, List.of(material));
    }

    private FetchedSource useLocalPath(Source.LocalPath local) throws SourceException {
        Path context = localDirectory(local.path(), "path");
        log.line("using the local directory " + context);
        Path dockerfile = SafePaths.existing(context, context.resolve(DOCKERFILE), "the Dockerfile", DOCKERFILE,
                "the directory " + context);
        if (dockerfile == null || !Files.isRegularFile(dockerfile)) {
            throw new SourceException("the directory " + context + " has no Dockerfile");
        }
        return new FetchedSource(context, dockerfile, List.of(Material.local("path", context)));
    }

    /**
     * A local file a build uses beside its source (a playbook, a file added to an image) as the lock records it;
     * when this step is locked, it must be the one the lock records.
     */
    public Material localFile(String field, Path file) throws SourceException {
        return downloaded(field, null, file);
    }

    /**
     * A downloaded (or local) file as the lock records it: a URL shown without credentials, or the path. When this
     * step is locked, the file must be the one the lock records.
     */
    private Material downloaded(String field, String url, Path file) throws SourceException {
        Material material;
        try {
            material = url == null ? Material.file(field, file) : Material.download(field, display(url, field), file);
        } catch (IOException e) {
            throw new SourceException("cannot read " + file + ": " + e.getMessage());
        }
        if (locked.isEmpty()) return material;
        Material pin = locked.get(field);
        if (pin == null || pin.sha256() == null) throw new SourceException(field + ": the lock records no file for it");
        if (!pin.sha256().equals(material.sha256()) || !java.util.Objects.equals(pin.size(), material.size())) {
            throw new SourceException(field + " " + material.location() + " is not what the lock records: "
                    + material.sha256() + " (" + material.size() + " bytes), locked " + pin.sha256() + " ("
                    + pin.size() + " bytes)");
        }
        return material;
    }

    /** The file:// URL of the bundle a vendored git commit is in. */
    private String bundle(Material pin) throws SourceException {
        Path bundle = VendorMaterialStep.gitBundle(vendor, pin.commit());
        if (!Files.isRegularFile(bundle)) {
            throw new SourceException(pin.field() + " " + pin.location() + ": the vendor directory has no " + bundle);
        }
        return bundle.toUri().toString();
    }

    /** Copies the vendored file of a download in place of downloading it; it is checked like a download. */
    private void copyVendored(String field, Path target) throws SourceException {
        Material pin = locked.get(field);
        if (pin == null || pin.sha256() == null) throw new SourceException(field + ": the lock records no file for it");
        Path file = VendorMaterialStep.file(vendor, pin.sha256());
        try {
            Files.copy(file, target);
            log.line(field + " " + pin.location() + ": copied from " + file);
        } catch (IOException e) {
            throw new SourceException(field + " " + pin.location() + ": cannot copy the vendored " + file + ": "
                    + e.getMessage());
        }
    }

    /** The lock's record of a git source, or null when this step is not locked; its URL must be the same. */
    private Material lockedGit(String field, String url, String version) throws SourceException {
        if (locked.isEmpty()) return null;
        Material pin = locked.get(field);
        if (pin == null || pin.commit() == null) {
            throw new SourceException(field + ": the lock records no commit for it");
        }
        String shown = display(url, field);
        if (!pin.location().equals(shown) || !java.util.Objects.equals(pin.version(), version)) {
            throw new SourceException(field + " " + shown + " (version " + version + ") is not what the lock records: "
                    + pin.location() + " (version " + pin.version() + ")");
        }
        log.line(field + ": version " + version + " held at " + pin.commit() + " by the lock");
        return pin;
    }

    private static String display(String url, String field) throws SourceException {
        return RemoteUrl.parse(url, field).display();
    }

    private CloneGitStep cloneStep() {
        return new CloneGitStep(log, cancellation, ssh);
    }

    private DownloadFileStep downloadStep() {
        return new DownloadFileStep(log, cancellation);
    }

    /** An existing local directory, as its real path. */
    private static Path localDirectory(String value, String field) throws SourceException {
        Path path = localPath(value, field);
        if (!Files.isDirectory(path)) throw new SourceException(field + " " + path + " is not a directory");
        return path;
    }

    private static Path localPath(String value, String field) throws SourceException {
        if (!present(value)) throw new SourceException(field + " is empty");
        try {
            Path path = Path.of(value).toAbsolutePath().normalize();
            if (!Files.exists(path)) throw new SourceException(field + " " + path + " does not exist");
            return path.toRealPath();
        } catch (InvalidPathException e) {
            throw new SourceException(field + " '" + value + "' is not a valid path");
        } catch (IOException e) {
            throw new SourceException("cannot read " + field + " " + value + ": " + e.getMessage());
        }
    }

    private static Path workDirectory(Path workDirectory) throws SourceException {
        Objects.requireNonNull(workDirectory, "workDirectory");
        try (var entries = Files.list(Files.createDirectories(workDirectory))) {
            // an earlier fetch's files would mix into this one's clone, context or download
            if (entries.findAny().isPresent()) {
                throw new SourceException("the work directory " + workDirectory + " is not empty");
            }
            return workDirectory.toRealPath();
        } catch (IOException e) {
            throw new SourceException("cannot use the work directory " + workDirectory + ": " + e.getMessage());
        }
    }

    private static Path createDirectory(Path path) throws SourceException {
        try {
            return Files.createDirectory(path).toRealPath();
        } catch (IOException e) {
            throw new SourceException("cannot create " + path + ": " + e.getMessage());
        }
    }

    private static Path real(Path path) throws SourceException {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new SourceException("cannot read " + path + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // only frees space early; the caller deletes the work directory
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String orDefault(String value, String fallback) {
        return present(value) ? value.trim() : fallback;
    }

    private void checkCancelled() throws SourceException, InterruptedException {
        if (cancellation.isCancelled()) throw SourceException.cancelledRun();
        if (Thread.interrupted()) throw new InterruptedException();
    }
}
