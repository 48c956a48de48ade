package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.imagebuild.host.PrivateDirectory;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.BuildParams;
import io.imagebuilder.imagebuild.params.BuildSecret;
import io.imagebuilder.secret.Redactor;
import io.imagebuilder.util.Trees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The secrets of one run, read from their files, environment variables or the document when the run starts, and
 * written to files of mode 0600 in a private directory for the docker client to hand to BuildKit
 * ({@code --secret id=ID,src=FILE}; the client reads them on this machine, even when the engine is remote). Copies
 * rather than the user's own files, because the client's option syntax would split a path at a comma, and because
 * their text must be known to keep it out of the log. Closing removes the directory.
 */
public final class SecretFiles implements AutoCloseable {

    /** BuildKit refuses larger secrets, but only after the build has started. */
    static final int MAX_BYTES = 500 * 1024;

    private final Path directory;
    private final Map<String, Path> files;
    private final Set<String> values;

    private SecretFiles(Path directory, Map<String, Path> files, Set<String> values) {
        this.directory = directory;
        this.files = Map.copyOf(files);
        this.values = Set.copyOf(values);
    }

    public static SecretFiles none() {
        return new SecretFiles(null, Map.of(), Set.of());
    }

    /** @param environment the executor's environment variables, by name (null when unset) */
    public static SecretFiles write(BuildParams params, UnaryOperator<String> environment) throws BuildException {
        if (!params.mountsSecrets()) return none();
        Path dir;
        try {
            dir = PrivateDirectory.create();
        } catch (IOException e) {
            throw new BuildException("cannot create a private directory for build secrets: " + e.getMessage(), e);
        }
        Map<String, Path> files = new LinkedHashMap<>();
        Set<String> values = new HashSet<>();
        try {
            for (BuildSecret secret : params.secrets()) {
                byte[] value = read(secret, environment);
                values.add(new String(value, StandardCharsets.UTF_8));
                files.put(secret.id(), store(dir, files.size(), value));
            }
            if (params.proxyCa() != null) {
                byte[] ca = ProxyCa.read(params.proxyCa());
                files.put(ProxyCa.ID, store(dir, files.size(), ca));
                files.put(ProxyCa.APT_ID, store(dir, files.size(), ProxyCa.aptConfig()));
            }
        } catch (BuildException | RuntimeException e) {
            Trees.delete(dir);
            throw e;
        }
        return new SecretFiles(dir, files, values);
    }

    private static byte[] read(BuildSecret secret, UnaryOperator<String> environment) throws BuildException {
        byte[] value = switch (secret.from()) {
            case VALUE -> secret.value().value().getBytes(StandardCharsets.UTF_8);
            case ENV -> {
                String text = environment.apply(secret.reference());
                if (text == null) {
                    throw new BuildException(secret.path() + ": the environment variable " + secret.reference()
                            + " is not set");
                }
                yield text.getBytes(StandardCharsets.UTF_8);
            }
            case FILE -> readFile(Path.of(secret.reference()), secret.path());
        };
        if (value.length > MAX_BYTES) {
            throw new BuildException(secret.path() + ": the secret has " + value.length + " bytes; BuildKit takes "
                    + "at most " + MAX_BYTES);
        }
        return value;
    }

    static byte[] readFile(Path file, String path) throws BuildException {
        try {
            if (Files.isDirectory(file)) throw new BuildException(path + ": " + file + " is a directory, not a file");
            if (Files.size(file) > MAX_BYTES) {
                throw new BuildException(path + ": " + file + " has more than " + MAX_BYTES + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BuildException(path + ": " + file.toAbsolutePath() + " does not exist");
        } catch (IOException e) {
            throw new BuildException(path + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path store(Path dir, int index, byte[] value) throws BuildException {
        Path file = dir.resolve(String.valueOf(index));
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, value);
            return file;
        } catch (IOException e) {
            throw new BuildException("cannot write a build secret to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Each secret's id and file, in the order build_params gives them. */
    public Map<String, Path> files() {
        return files;
    }

    /** Masks the secrets' text, and each of its lines, wherever the build prints them. */
    public Redactor redactor() {
        Set<String> masked = new HashSet<>();
        for (String v : values) {
            masked.add(v.strip());
            v.lines().map(String::strip).forEach(masked::add);
        }
        return new Redactor(masked);
    }

    @Override
    public void close() {
        if (directory != null) Trees.delete(directory);
    }
}
