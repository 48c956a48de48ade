package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.util.Trees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that a recorded source material is still there and the same: a git version still names the recorded
 * commit (its refs listed, nothing fetched), a download still has the recorded SHA-256 (fetched again into a
 * scratch directory and hashed), a local file still hashes the same. A local directory was not recorded in a way
 * that can be checked.
 */
public final class VerifyMaterialStep {

    private final Path scratch;

    /** @param scratch a private directory this step may fill and empty */
    public VerifyMaterialStep(Path scratch) {
        this.scratch = scratch;
    }

    /** What is wrong with the material now, or null when it matches; {@link #UNCHECKED} for a local directory. */
    public String run(Material material) throws InterruptedException {
        Path work = scratch.resolve("material");
        try {
            Trees.delete(work);
            switch (material.kind()) {
                case "git" -> {
                    String now = new CloneGitStep(LineSink.DISCARD, new Cancellation(), null)
                            .currentCommit(material.location(), material.version(), material.field(), work);
                    if (now == null) return "version " + material.version() + " names no commit any more";
                    return now.equals(material.commit()) ? null : "version " + material.version() + " is now at "
                            + now + ", not " + material.commit();
                }
                case "download" -> {
                    Files.createDirectories(work);
                    Path file = work.resolve("download");
                    new DownloadFileStep(LineSink.DISCARD, new Cancellation())
                            .run(material.location(), Credentials.NONE, material.field(), file);
                    return sameContent(file, material);
                }
                case "file" -> {
                    Path file = Path.of(material.location());
                    return Files.isRegularFile(file) ? sameContent(file, material) : "the file is gone";
                }
                case "local" -> {
                    return UNCHECKED;
                }
                default -> {
                    return "unknown kind of material \"" + material.kind() + "\"";
                }
            }
        } catch (SourceException e) {
            return e.getMessage();
        } catch (IOException e) {
            return "cannot check it: " + e.getMessage();
        } finally {
            Trees.delete(work);
        }
    }

    /** What {@link #run} says of a local directory: nothing of its content was recorded. */
    public static final String UNCHECKED = "a local directory: its content is not recorded, so it is not checked";

    private static String sameContent(Path file, Material material) throws IOException {
        String sha = Material.sha256(file);
        long size = Files.size(file);
        if (sha.equals(material.sha256()) && material.size() != null && size == material.size()) return null;
        return "its content changed: " + sha + " (" + size + " bytes), recorded " + material.sha256() + " ("
                + material.size() + " bytes)";
    }
}
