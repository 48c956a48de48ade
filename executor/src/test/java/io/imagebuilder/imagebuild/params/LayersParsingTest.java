package io.imagebuilder.imagebuild.params;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.imagebuilder.imagebuild.params.Parsing.problems;
import static io.imagebuilder.imagebuild.params.Parsing.valid;
import static org.assertj.core.api.Assertions.assertThat;

class LayersParsingTest {

    private static final String TARGET = "target:\n  registry: {url: 127.0.0.1:5000}\n";

    @Test
    void readsLayersInPlaceOfASource() {
        BuildParams p = valid("""
                layers:
                  - name: base
                    image: nodes/base
                    base:
                      parent: debian:bookworm
                      package_manager: apt
                      repositories: [/srv/apt, "deb http://deb.debian.org/debian bookworm main"]
                      packages: [openssh-server, "python3=3.11.2-1+b1"]
                      groups: [task-ssh-server]
                      commands: ["systemctl enable ssh"]
                  - name: compute
                    image: nodes/compute
                    tag: "1.0"
                    base: {parent: base, commands: [echo compute > /etc/role]}
                  - name: configured
                    image: nodes/configured
                    ansible: {parent: compute, playbook: site.yml, groups: [compute, slurm_nodes]}
                """ + TARGET);
        assertThat(p.source()).isEqualTo(new Source.Layers(List.of(
                new Source.Layer("base", "nodes/base", "latest", new Source.PackageLayer("debian:bookworm", "apt",
                        List.of("/srv/apt", "deb http://deb.debian.org/debian bookworm main"),
                        List.of("openssh-server", "python3=3.11.2-1+b1"), List.of("task-ssh-server"),
                        List.of("systemctl enable ssh")), null),
                new Source.Layer("compute", "nodes/compute", "1.0", new Source.PackageLayer("base", null, List.of(),
                        List.of(), List.of(), List.of("echo compute > /etc/role")), null),
                new Source.Layer("configured", "nodes/configured", "latest", null, new Source.AnsibleLayer("compute",
                        "site.yml", List.of("compute", "slurm_nodes"))))));
        assertThat(p.target().images()).isEmpty();
        assertThat(BuildParamsParser.toPlain(p).toString()).contains("layers=[{name=base")
                .contains("ansible={parent=compute, playbook=site.yml, groups=[compute, slurm_nodes]}");
        assertThat(problems("""
                layers:
                  - {name: a, image: x, base: {parent: debian}, ansible: {parent: debian, playbook: p.yml}}
                  - {name: b, image: y, ansible: {parent: debian, playbook: p.yml, groups: [web-servers]}}
                """ + TARGET)).containsExactly(
                "bp.yaml:2:5: layers[0]: expected exactly one of base and ansible; found both",
                "bp.yaml:3:77: layers[1].ansible.groups[0]: \"web-servers\" is not a package or group name");
    }

    @Test
    void refusesWhatALayerCannotBe() {
        assertThat(problems("""
                source: {path: /srv}
                layers:
                  - name: Base
                    image: nodes/base
                    base: {parent: "not an image", package_manager: yum, packages: ["a;rm -rf /"]}
                  - {name: b, image: x, base: {parent: scratch, package_manager: apt}}
                  - {name: b, image: y, base: {parent: b, packages: [curl]}}
                target:
                  images: [{image: app}]
                """)).containsExactly(
                "bp.yaml:2:1: layers: only allowed instead of source, not with it",
                "bp.yaml:3:11: layers[0].name: \"Base\" is not a layer name; expected up to 63 lower-case letters, "
                        + "digits, '_', '.' and '-'",
                "bp.yaml:5:20: layers[0].base.parent (an image, or the name of an earlier layer): invalid image "
                        + "reference \"not an image\": it is not of the form [host[:port]/]path[:tag][@digest]",
                "bp.yaml:5:53: layers[0].base.package_manager: expected apt, dnf or zypper, got \"yum\"",
                "bp.yaml:5:69: layers[0].base.packages[0]: \"a;rm -rf /\" is not a package or group name",
                "bp.yaml:6:40: layers[1].base.parent: scratch has no package manager; name an image that has apt",
                "bp.yaml:7:5: layers[2].name: \"b\" is already the name of layers[1]",
                "bp.yaml:7:31: layers[2].base: repositories, packages and groups need a package_manager",
                "bp.yaml:9:3: target.images: not with layers; each layer names the image it becomes");
    }
}
