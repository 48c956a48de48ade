package io.imagebuilder.imagebuild.params;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.imagebuilder.imagebuild.params.Parsing.problems;
import static io.imagebuilder.imagebuild.params.Parsing.valid;
import static io.imagebuilder.imagebuild.params.Parsing.withSource;
import static org.assertj.core.api.Assertions.assertThat;

class ImageEditParsingTest {

    @Test
    void readsTheImageItsFilesAndItsConfiguration() {
        BuildParams p = valid(withSource("""
                image: registry.example.com/base/app:1
                add:
                  - {src: ./bin/app, dest: /usr/local/bin/app, mode: "0755"}
                  - {src: conf, dest: /etc/app, mode: 644}
                  - {src: README, dest: /README}
                config:
                  env: {MODE: production}
                  entrypoint: [/usr/local/bin/app]
                  cmd: [--serve]
                  labels: {org.opencontainers.image.title: app}
                  user: "1000:1000"
                  workdir: /srv
                """));
        assertThat(p.source()).isEqualTo(new Source.ImageEdit("registry.example.com/base/app:1", List.of(
                new Source.AddedFile("./bin/app", "/usr/local/bin/app", 0755),
                new Source.AddedFile("conf", "/etc/app", 0644),
                new Source.AddedFile("README", "/README", null)),
                new Source.ImageConfig(Map.of("MODE", "production"), List.of("/usr/local/bin/app"), List.of("--serve"),
                        Map.of("org.opencontainers.image.title", "app"), "1000:1000", "/srv")));
        assertThat(BuildParamsParser.toPlain(p)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .extractingByKey("source").asString().contains("mode=0755").contains("mode=0644")
                .contains("entrypoint=[/usr/local/bin/app]");
        assertThat(valid(withSource("image: busybox\n")).source())
                .isEqualTo(new Source.ImageEdit("busybox", List.of(), Source.ImageConfig.KEPT));
    }

    @Test
    void refusesBadFilesConfigurationAndCompanionsOfOtherModes() {
        assertThat(problems(withSource("""
                image: Not/Valid
                add:
                  - {src: a, dest: relative/path, mode: "0999"}
                  - {dest: /b}
                config:
                  entrypoint: /bin/sh
                  workdir: srv
                  volumes: [/data]
                """))).containsExactly(
                "bp.yaml:2:10: source.image: invalid image reference \"Not/Valid\": the repository name must be "
                        + "lower-case",
                "bp.yaml:4:22: source.add[0].dest: \"relative/path\" is not an absolute path in the image; expected "
                        + "one starting with /",
                "bp.yaml:4:43: source.add[0].mode: expected an octal file mode such as \"0644\" or \"0755\", got the "
                        + "string \"0999\"",
                "bp.yaml:5:7: source.add[1].src: missing required field",
                "bp.yaml:7:17: source.config.entrypoint: expected a list, got the string \"/bin/sh\"",
                "bp.yaml:8:14: source.config.workdir: \"srv\" is not an absolute path in the image; expected one "
                        + "starting with /",
                "bp.yaml:9:5: source.config.volumes: unknown field; expected one of env, entrypoint, cmd, labels, "
                        + "user, workdir");
        assertThat(problems(withSource("""
                path: /srv/app
                add: [{src: a, dest: /a}]
                config: {user: root}
                """))).containsExactly("bp.yaml:3:3: source.add: only allowed together with source.image",
                "bp.yaml:4:3: source.config: only allowed together with source.image");
    }
}
