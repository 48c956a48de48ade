package io.imagebuilder.ssh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What tells kept masters apart, where they are kept, and how long. */
class HeldMastersTest {

    @TempDir
    Path dir;

    private SshEndpoint endpoint(String url, Path key, Path knownHosts) {
        return SshEndpoint.parse(url, new SshIdentity(key, knownHosts));
    }

    @Test
    void aChangedKeyOrKnownHostsFileIsAnotherMaster() throws Exception {
        Path key = Files.writeString(dir.resolve("key"), "key");
        Path known = Files.writeString(dir.resolve("known_hosts"), "host-a ssh-ed25519 AAAA\n");
        String first = HeldMasters.key(endpoint("ssh://root@build:2221", key, known));
        assertThat(HeldMasters.key(endpoint("ssh://root@build:2221", key, known))).isEqualTo(first);

        assertThat(HeldMasters.key(endpoint("ssh://root@build:2222", key, known))).isNotEqualTo(first);
        assertThat(HeldMasters.key(endpoint("ssh://builder@build:2221", key, known))).isNotEqualTo(first);
        Path copy = Files.copy(known, dir.resolve("known_hosts.copy"));
        assertThat(HeldMasters.key(endpoint("ssh://root@build:2221", key, copy))).isNotEqualTo(first);

        // a host key taken out of the file: a master made while it was trusted is not used
        Files.writeString(known, "host-b ssh-ed25519 BBBB\n");
        Files.setLastModifiedTime(known, FileTime.fromMillis(Files.getLastModifiedTime(known).toMillis() + 2_000));
        assertThat(HeldMasters.key(endpoint("ssh://root@build:2221", key, known))).isNotEqualTo(first);
    }

    @Test
    void theSettingIsWholeSeconds() {
        assertThat(HeldMasters.seconds(null)).isEqualTo(HeldMasters.DEFAULT_SECONDS);
        assertThat(HeldMasters.seconds("")).isEqualTo(HeldMasters.DEFAULT_SECONDS);
        assertThat(HeldMasters.seconds("0")).isZero();
        assertThat(HeldMasters.seconds(" 300 ")).isEqualTo(300);
        assertThatThrownBy(() -> HeldMasters.seconds("1m"))
                .hasMessage("IMAGE_BUILDER_SSH_PERSIST must be a whole number of seconds (0 keeps no connection "
                        + "open between runs), not \"1m\"");
        assertThatThrownBy(() -> HeldMasters.seconds("-5")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mastersAreKeptOnlyWhereNobodyElseCanReach() throws Exception {
        HeldMasters held = HeldMasters.at(dir.resolve("masters"), 60);
        SshEndpoint target = endpoint("ssh://root@build:2221", null, null);
        Path home = held.directory(target);
        assertThat(home.getParent()).isEqualTo(dir.resolve("masters"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.getParent())))
                .isEqualTo("rwx------");

        Files.setPosixFilePermissions(dir.resolve("masters"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> held.directory(target)).hasMessageEndingWith("is open to other users");

        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("linked"), elsewhere);
        assertThatThrownBy(() -> HeldMasters.at(dir.resolve("linked"), 60).directory(target))
                .hasMessageEndingWith("is not a directory");
    }

    @Test
    void runsTakeTheLockOneAtATime() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> {
                try (AutoCloseable locked = HeldMasters.lock(home)) {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.sleep(20);
                    inside.decrementAndGet();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        assertThat(most.get()).isEqualTo(1);
    }
}
