package io.imagebuilder.imagebuild.params;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Passwords are read into Secrets and never shown in a problem, however the document is wrong around them. */
class SecretsTest {

    private static final String PASSWORD = "Pa55-w0rd";

    @Test
    void aPasswordNeverAppearsInAnyProblem() {
        List<String> problems = Parsing.problems("""
                source:
                  git_repo:
                    url: "https://builder:%1$s@example.com/app.git"
                    username: builder
                    password: [ "%1$s" ]
                    pasword: "%1$s"
                  build_context:
                    url: "ssh://builder:%1$s@example.com/context.git"
                    password: { "%1$s": "%1$s" }
                target:
                  images:
                    - image: app
                  registry:
                    url: "https://builder:%1$s@registry.example.com"
                    password: 12345678
                """.formatted(PASSWORD));
        assertThat(problems).hasSizeGreaterThanOrEqualTo(6);
        assertThat(problems).noneMatch(p -> p.contains(PASSWORD));
        assertThat(problems).noneMatch(p -> p.contains("12345678"));
        assertThat(problems).contains("bp.yaml:15:15: target.registry.password: expected a string, got a number; "
                + "put the value in quotes so that it is read as text, exactly as written");
    }

    @Test
    void passwordsBecomeSecretsThatPrintMasked() {
        BuildParams p = Parsing.valid("""
                source:
                  tar: { url: "https://example.com/app.tar", username: u, password: "%1$s" }
                target:
                  images: [ { image: app } ]
                  registry: { url: docker.io, username: u, password: "%1$s" }
                """.formatted(PASSWORD));
        Source.Tar tar = (Source.Tar) p.source();
        assertThat(tar.credentials().password().value()).isEqualTo(PASSWORD);
        assertThat(p.target().registry().credentials().password().value()).isEqualTo(PASSWORD);
        assertThat(p.toString()).doesNotContain(PASSWORD);
    }
}
