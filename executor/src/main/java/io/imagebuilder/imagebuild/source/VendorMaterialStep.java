package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.util.Digests;
import io.imagebuilder.util.Trees;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.BundleWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Copies a recorded source material into a vendor directory, checked against the lock: a git commit as a bundle
 * ({@code git/COMMIT.bundle}, its history up to that commit, under {@code refs/heads/locked}), a download or local
 * file by its hash ({@code files/HEX}). A local directory stays where it is. {@link #gitBundle} and {@link #file}
 * say where a vendored material is, for a build without the network.
 */
public final class VendorMaterialStep {

    private final Path scratch;
    private final LineSink log;

    /** @param scratch a private directory this step may fill and empty */
    public VendorMaterialStep(Path scratch, LineSink log) {
        this.scratch = scratch;
        this.log = log;
    }

    public static Path gitBundle(Path vendor, String commit) {
        return vendor.resolve("git").resolve(commit + ".bundle");
    }

    public static Path file(Path vendor, String sha256) {
        return vendor.resolve("files").resolve(Digests.hex(sha256));
    }

    /** Copies the material into {@code vendor}; the message of the exception names what failed. */
    public void run(Material material, Path vendor) throws SourceException, InterruptedException {
        Path work = scratch.resolve("material");
        try {
            Trees.delete(work);
            Files.createDirectories(work);
            switch (material.kind()) {
                case "git" -> bundle(material, vendor, work);
                case "download" -> {
                    Path downloaded = work.resolve("download");
                    new DownloadFileStep(LineSink.DISCARD, new Cancellation())
                            .run(material.location(), Credentials.NONE, material.field(), downloaded);
                    keep(downloaded, material, vendor);
                }
                case "file" -> keep(Path.of(material.location()), material, vendor);
                default -> log.line(material.field() + " " + material.location() + ": a local directory, not copied");
            }
        } catch (IOException e) {
            throw new SourceException(material.field() + " " + material.location() + ": " + e.getMessage());
        } finally {
            Trees.delete(work);
        }
    }

    private void bundle(Material material, Path vendor, Path work) throws SourceException, InterruptedException,
            IOException {
        Path repo = work.resolve("repo");
        new CloneGitStep(LineSink.DISCARD, new Cancellation(), null).run(material.location(), Credentials.NONE,
                material.commit(), material.field(), repo, work.resolve("ssh"));
        Path target = gitBundle(vendor, material.commit());
        Files.createDirectories(target.getParent());
        try (Git git = Git.open(repo.toFile()); OutputStream out = Files.newOutputStream(target)) {
            BundleWriter writer = new BundleWriter(git.getRepository());
            writer.include("refs/heads/locked", ObjectId.fromString(material.commit()));
            writer.writeBundle(NullProgressMonitor.INSTANCE, out);
        }
        log.line("vendored " + material.location() + "@" + material.commit() + " as " + target);
    }

    private void keep(Path file, Material material, Path vendor) throws SourceException, IOException {
        String sha = Material.sha256(file);
        if (!sha.equals(material.sha256())) {
            throw new SourceException("its content is not what the lock records: " + sha + ", locked "
                    + material.sha256());
        }
        Path target = file(vendor, sha);
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        log.line("vendored " + material.location() + " as " + target);
    }
}
