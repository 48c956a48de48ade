package io.imagebuilder.imagebuild.layer;

import io.imagebuilder.imagebuild.params.Source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The build context of a package layer: a Dockerfile written from the layer's description, and a copy of each
 * local repository directory, bind-mounted into the one RUN step that installs, so that no layer keeps it. The
 * package step ends by removing what it added to the package manager's configuration for local repositories
 * and the downloaded package lists.
 */
public final class PackageLayerContext {

    /** Where a local repository is mounted while packages are installed. */
    static final String MOUNT = "/run/image-builder/repos/";

    private PackageLayerContext() {
    }

    /** Writes the context into {@code dir} (empty) and returns its Dockerfile. */
    public static Path write(Source.PackageLayer layer, String parent, Path dir) throws IOException {
        List<String> mounts = new ArrayList<>();
        List<String> local = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        for (String repository : layer.repositories()) {
            if (repository.startsWith("/")) {
                String name = String.valueOf(local.size());
                copy(Path.of(repository), dir.resolve("repos").resolve(name));
                mounts.add("--mount=type=bind,source=repos/" + name + ",target=" + MOUNT + name);
                local.add(MOUNT + name);
            } else {
                remote.add(repository);
            }
        }
        StringBuilder dockerfile = new StringBuilder("FROM ").append(parent).append('\n');
        if (layer.manager() != null && !(layer.packages().isEmpty() && layer.groups().isEmpty() && remote.isEmpty())) {
            dockerfile.append("RUN ");
            mounts.forEach(m -> dockerfile.append(m).append(' '));
            dockerfile.append(String.join(" \\\n    && ", PackageCommands.of(layer, local, remote))).append('\n');
        }
        for (String command : layer.commands()) {
            // each command is the user's shell command, as RUN would take it; one per line
            dockerfile.append("RUN ").append(command.replace("\n", " \\\n")).append('\n');
        }
        Path file = dir.resolve("Dockerfile");
        Files.writeString(file, dockerfile, StandardCharsets.UTF_8);
        return file;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
