package io.imagebuilder.imagebuild.layer;

import io.imagebuilder.imagebuild.dockerfile.Dockerfile;
import io.imagebuilder.imagebuild.params.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PackageLayerContextTest {

    @TempDir
    Path tmp;

    @Test
    void anAptLayerMountsItsLocalRepositoryOnlyWhileInstalling() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(repo.resolve("Packages"), "Package: a\n");
        Path context = Files.createDirectories(tmp.resolve("context"));
        Path dockerfile = PackageLayerContext.write(new Source.PackageLayer("debian:bookworm", "apt",
                List.of(repo.toString(), "deb http://mirror/debian bookworm main's"), List.of("curl"),
                List.of("task-ssh-server"), List.of("echo one", "echo two")), "127.0.0.1:5000/x:1", context);

        assertThat(Files.readString(dockerfile)).isEqualTo("""
                FROM 127.0.0.1:5000/x:1
                RUN --mount=type=bind,source=repos/0,target=/run/image-builder/repos/0 \
                printf '%s\\n' 'deb [trusted=yes] file:/run/image-builder/repos/0 ./' > \
                /etc/apt/sources.list.d/image-builder-local.list \\
                    && printf '%s\\n' 'deb http://mirror/debian bookworm main'\\''s' > \
                /etc/apt/sources.list.d/image-builder.list \\
                    && apt-get update \\
                    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends 'curl' \
                'task-ssh-server' \\
                    && rm -f /etc/apt/sources.list.d/image-builder-local.list \\
                    && apt-get clean \\
                    && rm -rf /var/lib/apt/lists/*
                RUN echo one
                RUN echo two
                """);
        assertThat(context.resolve("repos/0/Packages")).hasContent("Package: a");
        assertThat(Dockerfile.parse(Files.readString(dockerfile)).stages()).hasSize(1);
    }

    @Test
    void dnfAndZypperLayersAddTheirRepositoriesAndGroups() throws Exception {
        String dnf = Files.readString(PackageLayerContext.write(new Source.PackageLayer("rockylinux:9", "dnf",
                List.of("https://repo.example.org/el9/"), List.of("openssh-server"), List.of("Development Tools"),
                List.of()), "rockylinux:9", Files.createDirectories(tmp.resolve("dnf"))));
        assertThat(dnf).contains("'baseurl=https://repo.example.org/el9/' 'gpgcheck=0' > "
                + "/etc/yum.repos.d/image-builder-0.repo")
                .contains("dnf -y install --setopt=install_weak_deps=False 'openssh-server'")
                .contains("dnf -y group install 'Development Tools'").endsWith("dnf clean all\n");
        String zypper = Files.readString(PackageLayerContext.write(new Source.PackageLayer("opensuse/leap", "zypper",
                List.of("https://download.example.org/repo/"), List.of("vim"), List.of("base"), List.of()),
                "opensuse/leap:15.6", Files.createDirectories(tmp.resolve("zypper"))));
        assertThat(zypper).contains("zypper -n addrepo 'https://download.example.org/repo/' image-builder-0")
                .contains("zypper -n install --no-recommends 'vim'").contains("zypper -n install -t pattern 'base'");
    }
}
