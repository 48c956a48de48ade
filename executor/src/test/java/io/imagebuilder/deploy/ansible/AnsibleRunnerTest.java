package io.imagebuilder.deploy.ansible;

import io.imagebuilder.deploy.operation.HostConnection;
import io.imagebuilder.deploy.operation.OperationFailedException;
import io.imagebuilder.deploy.operation.OperationRequest;
import io.imagebuilder.deploy.operation.OperationResult;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.ssh.SshIdentity;
import io.imagebuilder.ssh.SshOptions;
import io.imagebuilder.testenv.TestEnvironment;
import io.imagebuilder.tosca.topology.Implementation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs real playbooks with ansible-runner, on the local machine and on the loopback SSH host. */
class AnsibleRunnerTest {

    private static final Duration GENEROUS = Duration.ofMinutes(2);

    @TempDir
    Path tmp;

    private Path project;
    private Path workDir;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final AnsibleRunner runner = new AnsibleRunner();

    @BeforeEach
    void setUp() throws IOException {
        project = Files.createDirectory(tmp.resolve("project"));
        workDir = Files.createDirectory(tmp.resolve("work"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    void handlesPlaybooksOnly() {
        assertThat(runner.handles("playbooks/create.yml")).isTrue();
        assertThat(runner.handles("configure.YAML")).isTrue();
        assertThat(runner.handles("create.sh")).isFalse();
        assertThat(runner.handles("builtin:docker-build")).isFalse();
    }

    @Test
    void playbookUsesInputsAndPublishesAttributesWithSetStats() throws Exception {
        playbook("create.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: greet
                      debug:
                        msg: "hello {{ who }}"
                    - set_stats:
                        data:
                          greeting: "hello {{ who }}"
                          count: 3
                          items: "{{ names }}"
                          connection: "{{ ansible_connection }}"
                """);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("who", "world");
        inputs.put("names", List.of("a", "b"));

        OperationResult result = runner.run(request("create.yml", inputs, HostConnection.LOCAL, GENEROUS, null));

        assertThat(result.attributes())
                .containsEntry("greeting", "hello world")
                .containsEntry("count", 3L)
                .containsEntry("items", List.of("a", "b"))
                .containsEntry("connection", "local");
        assertThat(result.outputs()).isEqualTo(result.attributes());
        assertThat(output).anyMatch(l -> l.contains("TASK [greet]")).anyMatch(l -> l.contains("\"hello world\""));
        assertThat(workDir.resolve("env")).doesNotExist();
        assertThat(workDir.resolve("artifacts")).doesNotExist();
    }

    @Test
    void inputsAreNeverEvaluatedAsTemplates() throws Exception {
        playbook("raw.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - set_stats:
                        data:
                          echoed: "{{ text }}"
                          nested: "{{ settings.inner[0] }}"
                """);
        String text = "{{ 7 * 6 }} {% if true %}x{% endif %} 'quoted' \"double\" \\ é 😀";
        Map<String, Object> inputs = Map.of("text", text,
                "settings", Map.of("inner", List.of("{{ lookup('env', 'HOME') }}")));

        OperationResult result = runner.run(request("raw.yml", inputs, HostConnection.LOCAL, GENEROUS, null));

        assertThat(result.attributes())
                .containsEntry("echoed", text)
                .containsEntry("nested", "{{ lookup('env', 'HOME') }}");
    }

    @Test
    void failingTaskGivesItsMessage() throws Exception {
        playbook("fail.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: check disk
                      fail:
                        msg: "the disk is full"
                """);

        assertThatThrownBy(() -> runner.run(request("fail.yml", Map.of(), HostConnection.LOCAL, GENEROUS, null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("node \"web\", operation Standard.create")
                .hasMessageContaining("playbook fail.yml failed")
                .hasMessageContaining("check disk")
                .hasMessageContaining("the disk is full");
        assertThat(workDir.resolve("env")).doesNotExist();
        assertThat(workDir.resolve("artifacts")).doesNotExist();
    }

    @Test
    void failingCommandGivesItsStderr() throws Exception {
        playbook("cmd.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: sh -c 'echo "no space left on device" >&2; exit 3'
                """);

        assertThatThrownBy(() -> runner.run(request("cmd.yml", Map.of(), HostConnection.LOCAL, GENEROUS, null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("non-zero return code")
                .hasMessageContaining("no space left on device");
    }

    @Test
    void brokenPlaybookGivesAnsiblesError() throws Exception {
        playbook("broken.yml", """
                - hosts: all
                  tasks:
                    - no_such_module_here:
                        x: 1
                """);

        assertThatThrownBy(() -> runner.run(request("broken.yml", Map.of(), HostConnection.LOCAL, GENEROUS, null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("playbook broken.yml failed")
                .hasMessageContaining("no_such_module_here");
    }

    @Test
    void missingPlaybookFailsBeforeAnythingRuns() {
        assertThatThrownBy(() -> runner.run(request("nowhere.yml", Map.of(), HostConnection.LOCAL, GENEROUS, null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("playbook not found: " + project.resolve("nowhere.yml"));
        assertThat(workDir.resolve("env")).doesNotExist();
        assertThat(workDir.resolve("inventory")).doesNotExist();
    }

    @Test
    void playbookRunsOnTheLoopbackSshHost() throws Exception {
        TestEnvironment env = TestEnvironment.load();
        Path marker = tmp.resolve("created-over-ssh-" + UUID.randomUUID());
        playbook("remote.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - file:
                        path: "{{ marker }}"
                        state: touch
                    - command: printenv SSH_CONNECTION
                      register: ssh_connection
                    - set_stats:
                        data:
                          ssh_connection: "{{ ssh_connection.stdout }}"
                          host: "{{ ansible_host }}"
                          port: "{{ ansible_port }}"
                """);
        Set<Long> mastersBefore = sshMasters();

        OperationResult result = runner.run(request("remote.yml", Map.of("marker", marker.toString()),
                HostConnection.ssh("127.0.0.1", 2221, "root", env.sshKey(), env.knownHosts()), GENEROUS, null));

        assertThat(marker).exists(); // the "remote" host is this machine
        // SSH_CONNECTION is "client-ip client-port server-ip server-port": the task ran through sshd on 2221
        assertThat((String) result.attributes().get("ssh_connection")).endsWith(" 2221");
        assertThat(result.attributes()).containsEntry("host", "127.0.0.1").containsEntry("port", 2221L);
        // the connection master of the run is stopped with it
        assertThat(sshMasters()).isSubsetOf(mastersBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"address", "user", "key", "known_hosts"})
    void inventoryValuesAreNeverEvaluatedAsTemplates(String field) throws Exception {
        Path pwned = tmp.resolve("pwned-" + field);
        // the SSH arguments are shell-quoted, which would escape single quotes: the known hosts' payload has none
        String payload = field.equals("known_hosts") ? "{{ lookup(\"pipe\", \"touch " + pwned + "\") }}"
                : pipe(pwned);
        String address = field.equals("address") ? payload : "127.0.0.1";
        String user = field.equals("user") ? payload : "root";
        Path key = field.equals("key") ? tmp.resolve(payload).resolve("id") : tmp.resolve("id");
        Path knownHosts = field.equals("known_hosts") ? tmp.resolve(payload).resolve("known_hosts")
                : tmp.resolve("known_hosts");
        // debug runs on this machine without connecting to the host, so every connection variable is templated
        // and published without the host being reached
        playbook("vars.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - debug:
                        msg: "{{ inventory_hostname }} {{ ansible_host }} {{ ansible_user }}"
                    - set_stats:
                        data:
                          name: "{{ inventory_hostname }}"
                          host: "{{ ansible_host }}"
                          user: "{{ ansible_user }}"
                          key: "{{ ansible_ssh_private_key_file }}"
                          ssh_args: "{{ ansible_ssh_common_args }}"
                """);

        OperationResult result = runner.run(request("vars.yml", Map.of(),
                HostConnection.ssh(address, 2221, user, key, knownHosts), GENEROUS, null));

        assertThat(pwned).as("the file the template would create").doesNotExist();
        assertThat(result.attributes())
                .containsEntry("name", address)
                .containsEntry("host", address)
                .containsEntry("user", user)
                .containsEntry("key", key.toString());
        assertThat(result.attributes()).containsEntry("ssh_args",
                SshOptions.shellWords(new SshIdentity(key, knownHosts)));
    }

    @Test
    void unknownHostKeyIsRefused() throws Exception {
        TestEnvironment env = TestEnvironment.load();
        // known hosts that list the other loopback host only
        List<String> others = Files.readAllLines(env.knownHosts()).stream()
                .filter(l -> !l.startsWith("[127.0.0.1]:2221 ")).toList();
        Path knownHosts = Files.write(tmp.resolve("known_hosts"), others);
        playbook("ping.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ping:
                """);

        assertThatThrownBy(() -> runner.run(request("ping.yml", Map.of(),
                HostConnection.ssh("127.0.0.1", 2221, "root", env.sshKey(), knownHosts), GENEROUS, null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("host root@127.0.0.1:2221 is unreachable")
                .hasMessageContaining("Host key verification failed");
    }

    @Test
    void hostWithNothingListeningIsUnreachable() throws Exception {
        TestEnvironment env = TestEnvironment.load();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        playbook("ping.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ping:
                """);

        assertThatThrownBy(() -> runner.run(request("ping.yml", Map.of(),
                HostConnection.ssh("127.0.0.1", port, "root", env.sshKey(), env.knownHosts()), GENEROUS, null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("host root@127.0.0.1:" + port + " is unreachable")
                .hasMessageContaining("Connection refused");
    }

    /**
     * Operations one after another share one ansible-runner worker, a Python process of this JVM that loaded
     * ansible-runner once; each still gets its own ansible-playbook, output and result.
     */
    @Test
    void consecutiveOperationsShareOneRunnerWorker() throws Exception {
        playbook("stats.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - debug: {msg: "run {{ n }}"}
                    - set_stats: {data: {n: "{{ n }}"}}
                """);
        OperationResult first = runner.run(request("stats.yml", Map.of("n", "1"), HostConnection.LOCAL, GENEROUS,
                null));
        Set<Long> workers = runnerWorkers();
        OperationResult second = runner.run(request("stats.yml", Map.of("n", "2"), HostConnection.LOCAL, GENEROUS,
                null));

        assertThat(first.attributes()).containsEntry("n", "1");
        assertThat(second.attributes()).containsEntry("n", "2");
        assertThat(output).anyMatch(l -> l.contains("\"msg\": \"run 1\"")).anyMatch(l -> l.contains("\"msg\": \"run 2\""));
        assertThat(workers).as("an idle worker after the first run").isNotEmpty();
        assertThat(runnerWorkers()).as("the same worker, still there").isEqualTo(workers);
    }

    /** The ansible-runner workers this JVM started. */
    private static Set<Long> runnerWorkers() {
        return ProcessHandle.current().descendants().filter(p -> read("/proc/" + p.pid() + "/cmdline")
                .contains("ansible_runner.run(")).map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @Test
    void timeoutStopsEveryProcessOfTheRun() throws Exception {
        String marker = "ib-timeout-" + UUID.randomUUID();
        playbook("slow.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - shell: "sleep 60 # {{ marker }}"
                """);
        long start = System.nanoTime();

        assertThatThrownBy(() -> runner.run(request("slow.yml", Map.of("marker", marker), HostConnection.LOCAL,
                Duration.ofSeconds(2), null)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("timed out after 2 s");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertNoProcessMentions(workDir.toString(), marker);
        assertThat(workDir.resolve("env")).doesNotExist();
        assertThat(workDir.resolve("artifacts")).doesNotExist();
        assertThat(workDir.resolve("tmp")).as("Ansible's temporary files").doesNotExist();
    }

    @Test
    void cancellationFromAnotherThreadStopsTheRun() throws Exception {
        String marker = "ib-cancel-" + UUID.randomUUID();
        playbook("slow.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: wait
                      shell: "sleep 60 # {{ marker }}"
                """);
        Cancellation cancellation = new Cancellation();
        CompletableFuture<OperationResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(request("slow.yml", Map.of("marker", marker), HostConnection.LOCAL, GENEROUS,
                        cancellation));
            } catch (OperationFailedException e) {
                throw new RuntimeException(e);
            }
        });
        awaitProcessMentioning(marker);

        cancellation.cancel();

        assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .rootCause()
                .isInstanceOf(OperationFailedException.class)
                .hasMessageEndingWith(": cancelled");
        assertNoProcessMentions(workDir.toString(), marker);
    }

    @Test
    void secretInputIsNeitherInArgumentsNorEnvironmentNorLeftInFiles() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        playbook("secret.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: use the password
                      debug:
                        msg: "the password is {{ password }}"
                    - command: sleep 3
                    - set_stats:
                        data:
                          password_length: "{{ password | length }}"
                """);
        List<String> seen = new CopyOnWriteArrayList<>();
        Set<Set<PosixFilePermission>> extravarsModes = new HashSet<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (running.get()) {
                ProcessHandle.allProcesses().forEach(p -> {
                    String procDir = "/proc/" + p.pid();
                    String cmdline = read(procDir + "/cmdline");
                    if (cmdline.contains(workDir.toString())) {
                        seen.add("argv " + cmdline);
                        seen.add("environ " + read(procDir + "/environ"));
                    }
                });
                try {
                    extravarsModes.add(Files.getPosixFilePermissions(workDir.resolve("env/extravars")));
                } catch (IOException e) {
                    // not written yet, or deleted already
                }
                sleep(100);
            }
        });
        watcher.start();
        OperationResult result;
        try {
            result = runner.run(request("secret.yml", Map.of("password", password), HostConnection.LOCAL, GENEROUS,
                    null));
        } finally {
            running.set(false);
            watcher.join();
        }

        assertThat(result.attributes()).containsEntry("password_length", String.valueOf(password.length()));
        assertThat(seen).as("processes of the run were observed").anyMatch(s -> s.contains("ansible-playbook"));
        assertThat(seen).noneMatch(s -> s.contains(password));
        assertThat(extravarsModes).containsExactly(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.walk(workDir)) {
            List<Path> leaking = files.filter(Files::isRegularFile)
                    .filter(f -> read(f.toString()).contains(password)).toList();
            assertThat(leaking).isEmpty();
        }
        assertThat(runner.arguments(workDir, project.resolve("secret.yml"), "id"))
                .noneMatch(a -> a.contains(password));
    }

    // ---------------------------------------------------------------------------------------------------------

    private void playbook(String name, String content) throws IOException {
        Files.writeString(project.resolve(name), content);
    }

    private OperationRequest request(String primary, Map<String, Object> inputs, HostConnection host,
                                     Duration timeout, Cancellation cancellation) {
        return new OperationRequest("web", "Standard.create",
                new Implementation(primary, List.of(), null, project.toString()), inputs, host, workDir,
                output::add, timeout, cancellation);
    }

    /** A value that creates {@code file} when Ansible evaluates it as a template. */
    private static String pipe(Path file) {
        return "{{ lookup('pipe', 'touch " + file + "') }}";
    }

    /** SSH connection masters of runs (their sockets live in "ib-ssh-" directories). */
    private static Set<Long> sshMasters() {
        return ProcessHandle.allProcesses()
                .filter(p -> read("/proc/" + p.pid() + "/cmdline").contains("/ib-ssh-"))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static void assertNoProcessMentions(String... texts) {
        List<String> left = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            left.clear();
            ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(p -> {
                String cmdline = read("/proc/" + p.pid() + "/cmdline");
                for (String t : texts) {
                    if (cmdline.contains(t)) left.add(p.pid() + ": " + cmdline);
                }
            });
            if (left.isEmpty()) return;
            sleep(200);
        } while (System.nanoTime() < deadline);
        assertThat(left).as("processes left running").isEmpty();
    }

    private static void awaitProcessMentioning(String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.allProcesses().anyMatch(p -> read("/proc/" + p.pid() + "/cmdline").contains(text))) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("no process mentioning " + text + " started");
    }

    /** A file's bytes as text, NULs (argument and variable separators) as spaces; empty when unreadable. */
    private static String read(String file) {
        try {
            return new String(Files.readAllBytes(Path.of(file)), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
