package io.imagebuilder.deploy;

import io.imagebuilder.deploy.ansible.AnsibleRunner;
import io.imagebuilder.deploy.ansible.RemoteFiles;
import io.imagebuilder.deploy.operation.HostConnection;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.testenv.TestEnvironment;
import io.imagebuilder.tosca.function.RuntimeValues;
import io.imagebuilder.tosca.topology.Artifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperationRuntimeValuesTest {

    @TempDir
    Path tmp;

    private Artifact artifact() throws IOException {
        Path templateDir = Files.createDirectories(tmp.resolve("template/files"));
        Files.writeString(templateDir.resolve("app.conf"), "setting=1\n");
        return new Artifact("conf", null, "files/app.conf", null, tmp.resolve("template").toString());
    }

    @Test
    void artifactsAreCopiedIntoTheWorkDirectoryOrWhereTheCallSays() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        OperationRuntimeValues values = new OperationRuntimeValues(RuntimeValues.NONE, work);

        Path local = Path.of(values.artifactPath("app", artifact(), null, false));
        assertThat(local).startsWith(work).hasContent("setting=1");
        Path kept = Path.of(values.artifactPath("app", artifact(), elsewhere.resolve("kept.conf").toString(), false));
        Path removed = Path.of(values.artifactPath("app", artifact(), elsewhere.toString(), true));
        assertThat(removed).isEqualTo(elsewhere.resolve("app.conf")).hasContent("setting=1");

        values.removePlaced(LineSink.DISCARD);
        assertThat(removed).doesNotExist();
        assertThat(kept).hasContent("setting=1");
        assertThat(tmp.resolve("template/files/app.conf")).as("the template's file is never touched").exists();
    }

    @Test
    void aCopyToAnSshHostThatFailsSaysWhy() throws IOException {
        TestEnvironment env = TestEnvironment.load();
        HostConnection host = HostConnection.ssh("127.0.0.1", 2221, "root", env.sshKey(), env.knownHosts());
        List<String> output = new ArrayList<>();
        RemoteFiles files = new RemoteFiles(new AnsibleRunner(), host, tmp.resolve("remote"), output::add,
                Duration.ofMinutes(2), null);
        OperationRuntimeValues values = new OperationRuntimeValues(RuntimeValues.NONE, host, tmp.resolve("work"),
                files, "d1");
        Artifact artifact = artifact();
        String missing = tmp.resolve("missing").resolve("app.conf").toString();
        assertThatThrownBy(() -> values.artifactPath("app", artifact, missing, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot copy " + tmp.resolve("template/files/app.conf") + " to "
                        + "root@127.0.0.1:2221: playbook copy-file.yml failed: task \"copy the file\": ")
                .hasMessageContaining("does not exist");
        assertThat(output).as("the copy's run is shown with the operation's output").isNotEmpty();
    }
}
