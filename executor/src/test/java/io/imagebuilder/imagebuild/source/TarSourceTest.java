package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.Secret;
import io.imagebuilder.imagebuild.params.Source;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tar and tar.gz build contexts from a path and from a real HTTP server, and archives that must be refused. */
class TarSourceTest {

    private static final String USER = "carol";
    private static final String PASSWORD = "arch1ve-Pa55word";

    /** Layout: base/archives (inputs), base/served (HTTP), base/deep/er/work (the work directory). */
    @TempDir
    Path base;

    private Path archives;
    private Path work;
    private final CapturedLog log = new CapturedLog();

    @BeforeEach
    void layout() throws IOException {
        archives = Files.createDirectory(base.resolve("archives"));
        // deep, so that "../" entries would land inside base, where the test can see them
        work = Files.createDirectories(base.resolve("deep/er/work"));
    }

    private static Archives goodContext() {
        return new Archives()
                .file("Dockerfile", "FROM archived\n")
                .directory("app", 0755)
                .file("app/run.sh", "#!/bin/sh\n", 0755)
                .file("./app/data.txt", "data\n")
                .symlink("app/link.txt", "data.txt")
                .hardLink("app/hard.txt", "app/data.txt");
    }

    /** GNU tar's sparse files in a POSIX archive: what they hold depends on tar's own extensions. */
    @Test
    void aSparseArchiveIsAClearError() throws Exception {
        Path dir = Files.createDirectories(base.resolve("sparse"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM archived\n");
        try (var big = java.nio.channels.FileChannel.open(dir.resolve("big"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            big.write(java.nio.ByteBuffer.wrap(new byte[] {'x'}), 2_000_000);
            big.truncate(4 << 20);
        }
        Path archive = base.resolve("sparse.tar");
        Process tar = new ProcessBuilder("tar", "--format=pax", "--sparse", "-C", dir.toString(), "-cf",
                archive.toString(), "Dockerfile", "big").inheritIO().start();
        assertThat(tar.waitFor()).isZero();

        assertThatThrownBy(() -> fetchPath(archive))
                .isInstanceOf(SourceException.class)
                .hasMessage("entry 'big' of the archive " + archive + " is a sparse file, which is not supported");
    }

    @Test
    void aDamagedSparseHeaderIsAClearError() throws Exception {
        Path archive = base.resolve("damaged.tar");
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                Files.newOutputStream(archive))) {
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("big");
            entry.setSize(1);
            entry.addPaxHeader("GNU.sparse.map", "1,a");
            out.putArchiveEntry(entry);
            out.write('x');
            out.closeArchiveEntry();
        }
        assertThatThrownBy(() -> fetchPath(archive))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("the archive " + archive + " is damaged, or its headers use a tar extension "
                        + "that is not supported, such as GNU sparse files (");
    }

    private FetchedSource fetchPath(Path archive) throws Exception {
        return new FetchSourceStep(log, new Cancellation()).run(new Source.Tar(null, archive.toString(),
                Credentials.NONE), work);
    }

    private void assertGoodContext(FetchedSource fetched) throws IOException {
        Path context = work.toRealPath().resolve("context");
        assertThat(fetched.context()).isEqualTo(context);
        assertThat(fetched.dockerfile()).isEqualTo(context.resolve("Dockerfile"));
        assertThat(Files.readString(fetched.dockerfile())).isEqualTo("FROM archived\n");
        assertThat(Files.readString(context.resolve("app/link.txt"))).isEqualTo("data\n");
        assertThat(Files.isSymbolicLink(context.resolve("app/link.txt"))).isTrue();
        assertThat(Files.readString(context.resolve("app/hard.txt"))).isEqualTo("data\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(context.resolve("app/run.sh"))))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void tarFromAPath() throws Exception {
        FetchedSource fetched = fetchPath(goodContext().writeTar(archives.resolve("context.tar")));

        assertGoodContext(fetched);
        assertThat(log.text()).contains("extracted 6 entries");
    }

    @Test
    void gzipIsRecognisedByItsContentNotItsName() throws Exception {
        FetchedSource fetched = fetchPath(goodContext().writeTarGz(archives.resolve("upload.bin")));

        assertGoodContext(fetched);
    }

    @Test
    void tarAndTarGzFromAnHttpUrlWithBasicAuth() throws Exception {
        Path served = Files.createDirectory(base.resolve("served"));
        goodContext().writeTar(served.resolve("context.tar"));
        goodContext().writeTarGz(served.resolve("context.tgz"));
        try (StaticHttpServer server = StaticHttpServer.start(served, USER, PASSWORD)) {
            Credentials credentials = new Credentials(USER, Secret.of(PASSWORD));
            assertGoodContext(new FetchSourceStep(log, new Cancellation())
                    .run(new Source.Tar(server.url("context.tar"), null, credentials), work));

            Path secondWork = Files.createDirectory(base.resolve("second-work"));
            FetchedSource fromTgz = new FetchSourceStep(log, new Cancellation())
                    .run(new Source.Tar(server.url("context.tgz"), null, credentials), secondWork);
            assertThat(Files.readString(fromTgz.dockerfile())).isEqualTo("FROM archived\n");
            // the download is removed once extracted
            assertThat(secondWork.resolve("archive")).doesNotExist();
        }
        assertThat(log.text()).contains("downloading http://127.0.0.1:").doesNotContain(PASSWORD);
    }

    @Test
    void wrongPasswordForTheArchive() throws Exception {
        Path served = Files.createDirectory(base.resolve("served"));
        goodContext().writeTar(served.resolve("context.tar"));
        try (StaticHttpServer server = StaticHttpServer.start(served, USER, PASSWORD)) {
            assertThatThrownBy(() -> new FetchSourceStep(log, new Cancellation()).run(new Source.Tar(
                    server.url("context.tar"), null, new Credentials(USER, Secret.of("wr0ng-Pa55word"))), work))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("authentication failed")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wr0ng-Pa55word"));
        }
    }

    @Test
    void archiveWithoutDockerfile() throws Exception {
        Path archive = new Archives().file("README", "no dockerfile\n").writeTar(archives.resolve("c.tar"));

        assertThatThrownBy(() -> fetchPath(archive))
                .isInstanceOf(SourceException.class)
                .hasMessage("the archive " + archive.toRealPath() + " has no Dockerfile at its root");
    }

    @Test
    void notATarArchive() throws Exception {
        Path archive = Files.writeString(archives.resolve("c.tar"), "just some text, long enough to be read\n");

        assertThatThrownBy(() -> fetchPath(archive))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("is not a tar archive (plain or gzip-compressed)");
    }

    @Test
    void zipIsNamedAsSuch() throws Exception {
        Path archive = Files.write(archives.resolve("c.tar"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});

        assertThatThrownBy(() -> fetchPath(archive))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("is a zip archive, not a tar archive");
    }

    @Test
    void missingArchivePath() {
        Path absent = archives.resolve("absent.tar");

        assertThatThrownBy(() -> fetchPath(absent))
                .isInstanceOf(SourceException.class)
                .hasMessage("tar.path " + absent + " does not exist");
    }

    // --- malicious archives: refused, and nothing written outside the work directory ---

    /**
     * Extracts into a fresh work directory and checks that the archive is refused and that nothing changed outside
     * the context directory (stricter than outside the work directory).
     */
    private void assertRefused(Archives archive, boolean gzip, String message) throws Exception {
        Path file = gzip ? archive.writeTarGz(archives.resolve("evil.tgz")) : archive.writeTar(archives.resolve("evil.tar"));
        Path freshWork = Files.createTempDirectory(work.getParent(), "work");
        Path context = freshWork.resolve("context");
        List<Path> before = filesOutside(context);

        assertThatThrownBy(() -> new FetchSourceStep(log, new Cancellation())
                .run(new Source.Tar(null, file.toString(), Credentials.NONE), freshWork))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining(message);
        assertThat(filesOutside(context)).isEqualTo(before);
    }

    private List<Path> filesOutside(Path context) throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            return all.filter(p -> !p.startsWith(context)).sorted().toList();
        }
    }

    @Test
    void dotDotEntryIsRefused() throws Exception {
        Archives evil = new Archives().file("Dockerfile", "FROM x\n").file("../evil", "escaped\n");
        assertThat(names(evil)).contains("../evil");

        assertRefused(evil, false, "entry '../evil' of the archive");
        assertRefused(evil, true, "leads outside the build context");
        try (Stream<Path> all = Files.walk(base)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("evil"))).isEmpty();
        }
    }

    @Test
    void deeperDotDotEntryIsRefused() throws Exception {
        assertRefused(new Archives().file("a/../../../evil", "escaped\n"), false, "leads outside the build context");
    }

    @Test
    void absoluteEntryIsRefused() throws Exception {
        Path target = base.resolve("absolute-evil");
        Archives evil = new Archives().file(target.toString(), "escaped\n");
        assertThat(names(evil)).contains(target.toString());

        assertRefused(evil, false, "has an absolute name");
        assertThat(target).doesNotExist();
    }

    @Test
    void symbolicLinkToAnAbsolutePathIsRefused() throws Exception {
        assertRefused(new Archives().symlink("etc", "/etc").file("Dockerfile", "FROM x\n"), false,
                "entry 'etc' of the archive " + archives.toRealPath().resolve("evil.tar")
                        + " is a symbolic link to the absolute path /etc, outside the build context");
    }

    @Test
    void symbolicLinkLeadingOutsideByDotDotIsRefused() throws Exception {
        assertRefused(new Archives().symlink("up", "../../.."), false, "is a symbolic link to '../../..'");
    }

    @Test
    void writingThroughASymbolicLinkIsRefused() throws Exception {
        // the link itself points inside; a later entry must still not be written through it
        assertRefused(new Archives().directory("dir", 0755).symlink("alias", "dir").file("alias/x", "x\n"), false,
                "lies under the symbolic link alias");
    }

    @Test
    void symbolicLinkChainLeadingOutsideIsRefused() throws Exception {
        // each link looks inside on its own; together "b" is the parent of the context
        assertRefused(new Archives().symlink("a", ".").symlink("b", "a/..").file("Dockerfile", "FROM x\n"), false,
                "is a symbolic link that leads outside the build context (through other links)");
    }

    @Test
    void hardLinkOutsideIsRefused() throws Exception {
        Path outside = Files.writeString(base.resolve("outside.txt"), "outside\n");

        assertRefused(new Archives().hardLink("h", "../../../outside.txt"), false, "leads outside the build context");
        assertRefused(new Archives().hardLink("h", outside.toString()), false, "has an absolute name");
        assertRefused(new Archives().hardLink("h", "/etc/passwd"), false, "has an absolute name");
        assertThat(Files.getAttribute(outside, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1);
    }

    @Test
    void hardLinkThroughASymbolicLinkIsRefused() throws Exception {
        assertRefused(new Archives().directory("dir", 0755).file("dir/f", "f\n").symlink("alias", "dir")
                .hardLink("h", "alias/f"), false, "lies under the symbolic link alias");
    }

    @Test
    void unknownEntryTypeIsRefused() throws Exception {
        assertRefused(new Archives().entryOfType("volume", (byte) 'V').file("Dockerfile", "FROM x\n"), false,
                "has an unsupported type");
    }

    @Test
    void deviceFileIsRefused() throws Exception {
        assertRefused(new Archives().characterDevice("null"), false, "is a device file or FIFO");
    }

    @Test
    void entryCountLimit() throws Exception {
        Path archive = goodContext().writeTar(archives.resolve("c.tar"));
        Path target = Files.createDirectory(work.resolve("limited"));

        assertThatThrownBy(() -> new ExtractArchiveStep(log, new Cancellation(),
                new ExtractArchiveStep.Limits(3, 1 << 20)).run(archive, target, "c.tar"))
                .isInstanceOf(SourceException.class)
                .hasMessage("the archive c.tar has more than 3 entries");
    }

    @Test
    void totalSizeLimit() throws Exception {
        Path archive = new Archives().file("big", "x".repeat(5000)).writeTarGz(archives.resolve("c.tgz"));
        Path target = Files.createDirectory(work.resolve("limited"));

        assertThatThrownBy(() -> new ExtractArchiveStep(log, new Cancellation(),
                new ExtractArchiveStep.Limits(100, 4096)).run(archive, target, "c.tgz"))
                .isInstanceOf(SourceException.class)
                .hasMessage("the archive c.tgz expands to more than 4 KiB (max_context_bytes)");
    }

    @Test
    void readOnlyDirectoriesKeepOwnerAccess() throws Exception {
        Path archive = new Archives().directory("ro", 0555).file("ro/f", "f\n", 0444).file("Dockerfile", "FROM x\n")
                .writeTar(archives.resolve("c.tar"));

        FetchedSource fetched = fetchPath(archive);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fetched.context().resolve("ro"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fetched.context().resolve("ro/f"))))
                .isEqualTo("r--r--r--");
    }

    /** The entry names as stored, to be sure a malicious name was not cleaned up on the way into the archive. */
    private List<String> names(Archives archive) throws IOException {
        Path file = archive.writeTar(Files.createTempFile(archives, "check", ".tar"));
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            Consumer<TarArchiveEntry> add = e -> names.add(e.getName());
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) add.accept(e);
        }
        Files.delete(file);
        return names;
    }
}
