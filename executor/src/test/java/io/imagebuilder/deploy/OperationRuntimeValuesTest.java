package io.imagebuilder.deploy;

import io.imagebuilder.deploy.operation.HostConnection;
import io.imagebuilder.tosca.function.RuntimeValues;
import io.imagebuilder.tosca.topology.Artifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        OperationRuntimeValues values = new OperationRuntimeValues(RuntimeValues.NONE, HostConnection.LOCAL, work);

        Path local = Path.of(values.artifactPath("app", artifact(), null, false));
        assertThat(local).startsWith(work).hasContent("setting=1");
        Path kept = Path.of(values.artifactPath("app", artifact(), elsewhere.resolve("kept.conf").toString(), false));
        Path removed = Path.of(values.artifactPath("app", artifact(), elsewhere.toString(), true));
        assertThat(removed).isEqualTo(elsewhere.resolve("app.conf")).hasContent("setting=1");

        values.removePlaced();
        assertThat(removed).doesNotExist();
        assertThat(kept).hasContent("setting=1");
        assertThat(tmp.resolve("template/files/app.conf")).as("the template's file is never touched").exists();
    }

    @Test
    void artifactsAreNotCopiedToRemoteHosts() throws IOException {
        OperationRuntimeValues values = new OperationRuntimeValues(RuntimeValues.NONE,
                HostConnection.ssh("10.0.0.5", 22, "root", null, null), tmp);
        Artifact artifact = artifact();
        assertThatThrownBy(() -> values.artifactPath("app", artifact, null, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("copying artifacts to a remote host (root@10.0.0.5:22) is not supported; run the "
                        + "operation on a local host, or copy the file in the playbook");
    }
}
