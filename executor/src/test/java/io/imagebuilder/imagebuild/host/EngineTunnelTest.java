package io.imagebuilder.imagebuild.host;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.ssh.HeldMasters;
import io.imagebuilder.ssh.SshEndpoint;
import io.imagebuilder.ssh.SshIdentity;
import io.imagebuilder.ssh.SshMux;
import io.imagebuilder.testenv.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SSH master connections kept between runs, against the loopback hosts: each test keeps its masters in a
 * directory of its own and ends them when it is done.
 */
class EngineTunnelTest {

    private static TestEnvironment env;

    @TempDir
    Path tmp;

    @BeforeAll
    static void environment() {
        env = TestEnvironment.load();
    }

    private static SshEndpoint host(int n) {
        return SshEndpoint.parse(env.dockerHost(n), new SshIdentity(env.sshKey(), env.knownHosts()));
    }

    /** Masters kept in this test's own directory. */
    private HeldMasters held() {
        return HeldMasters.at(tmp.resolve("masters"), 30);
    }

    /** The engine answers on the tunnel's socket. */
    private static void answers(EngineTunnel t) throws Exception {
        EngineApi.Response r = EngineApi.get(t.socket(), "/_ping", Duration.ofSeconds(10), new Cancellation());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("OK");
    }

    private static long masterPid(HeldMasters held, SshEndpoint target) throws Exception {
        try (SshMux mux = SshMux.connect(held.directory(target).resolve("ctl"))) {
            return mux.alive();
        }
    }

    private static void endMaster(HeldMasters held, SshEndpoint target) throws Exception {
        ProcessHandle master = ProcessHandle.of(masterPid(held, target)).orElseThrow();
        master.destroy();
        assertThat(master.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void aLaterRunUsesTheMasterAnEarlierOneKept() throws Exception {
        HeldMasters held = held();
        List<String> first = new ArrayList<>();
        try (EngineTunnel t = EngineTunnel.open(host(1), tmp, held, first::add, new Cancellation())) {
            answers(t);
            assertThat(t.binfmtHandlers()).isNotEmpty();
        }
        assertThat(first).containsExactly("connecting to " + env.dockerHost(1));
        long pid = masterPid(held, host(1));

        List<String> second = new ArrayList<>();
        try (EngineTunnel t = EngineTunnel.open(host(1), tmp, held, second::add, new Cancellation())) {
            answers(t);
            assertThat(t.isOpen()).isTrue();
            assertThat(t.binfmtHandlers()).as("what the host reported when the master was made").isNotEmpty();
        }
        assertThat(second).containsExactly("connected to " + env.dockerHost(1)
                + " (a connection kept from an earlier run)");
        assertThat(masterPid(held, host(1))).isEqualTo(pid);
        endMaster(held, host(1));
    }

    @Test
    void aMasterThatEndedIsReplacedByANewConnection() throws Exception {
        HeldMasters held = held();
        EngineTunnel.open(host(2), tmp, held, line -> { }, new Cancellation()).close();
        endMaster(held, host(2)); // its control socket and forwarded socket stay behind

        List<String> log = new ArrayList<>();
        try (EngineTunnel t = EngineTunnel.open(host(2), tmp, held, log::add, new Cancellation())) {
            answers(t);
        }
        assertThat(log).containsExactly("connecting to " + env.dockerHost(2));
        endMaster(held, host(2));
    }

    @Test
    void aRunHoldsTheMasterWhileItLastsAndAnUnusedMasterEnds() throws Exception {
        HeldMasters briefly = HeldMasters.at(tmp.resolve("masters"), 1);
        ProcessHandle master;
        try (EngineTunnel t = EngineTunnel.open(host(1), tmp, briefly, line -> { }, new Cancellation())) {
            master = ProcessHandle.of(masterPid(briefly, host(1))).orElseThrow();
            Thread.sleep(2_500); // past the master's second once unused: this run still uses it
            assertThat(master.isAlive()).isTrue();
            answers(t);
        }
        assertThat(master.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void runsThatStartTogetherShareOneNewMaster() throws Exception {
        HeldMasters held = held();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<EngineTunnel>> opening = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path own = Files.createDirectory(tmp.resolve("run" + i));
            opening.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return EngineTunnel.open(host(2), own, held, log::add, new Cancellation());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (var f : opening) {
            try (EngineTunnel t = f.get()) {
                answers(t);
            }
        }
        assertThat(log).filteredOn(l -> l.startsWith("connecting to")).hasSize(1);
        assertThat(log).filteredOn(l -> l.endsWith("(a connection kept from an earlier run)")).hasSize(3);
        endMaster(held, host(2));
    }

    @Test
    void withNoMastersKeptEachRunEndsItsOwn() throws Exception {
        EngineTunnel t = EngineTunnel.open(host(1), tmp, null, line -> { }, new Cancellation());
        long pid;
        try (SshMux mux = SshMux.connect(tmp.resolve("ctl"))) {
            pid = mux.alive();
        }
        answers(t);
        t.close();
        assertThat(ProcessHandle.of(pid).map(p -> p.onExit().join().isAlive()).orElse(false)).isFalse();
        assertThatThrownBy(() -> SshMux.connect(tmp.resolve("ctl"))).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aDirectoryOpenToOthersKeepsNothing() throws Exception {
        HeldMasters held = held();
        Path home = held.directory(host(1));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> log = new ArrayList<>();
        try (EngineTunnel t = EngineTunnel.open(host(1), tmp, held, log::add, new Cancellation())) {
            answers(t);
        }
        assertThat(log.get(0)).isEqualTo("not keeping the connection for later runs: " + home
                + " is open to other users");
        assertThat(home.resolve("ctl")).doesNotExist();
        assertThat(tmp.resolve("ctl")).doesNotExist();
    }

    @Test
    void aForwardTheMasterCannotMakeIsRefusedWithItsReason() throws Exception {
        HeldMasters held = held();
        try (EngineTunnel t = EngineTunnel.open(host(1), tmp, held, line -> { }, new Cancellation());
             SshMux mux = SshMux.connect(held.directory(host(1)).resolve("ctl"))) {
            assertThatThrownBy(() -> mux.forward(tmp.resolve("no-such-dir/x.sock"), "/var/run/docker.sock"))
                    .hasMessageStartingWith("the connection refused to forward /var/run/docker.sock: ");
            answers(t);
        }
        endMaster(held, host(1));
    }
}
