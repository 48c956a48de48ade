package io.imagebuilder.imagebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildHostSettingsTest {

    private static BuildHostSettings of(List<String> hosts, Integer max, Duration timeout) {
        return new BuildHostSettings(hosts, Path.of("keys/../id_ed25519"), null, null, null, List.of("linux/arm64"),
                max, null, Path.of("known_hosts"), timeout, null);
    }

    @Test
    void pathsBecomeAbsoluteSoThatTheyMeanTheSameFromTheBlueprint() {
        BuildHostSettings s = of(List.of("ssh://root@a:22"), 2, Duration.ofSeconds(5));
        assertThat(s.sshKey()).isEqualTo(Path.of("id_ed25519").toAbsolutePath());
        assertThat(s.gitKnownHosts()).isEqualTo(Path.of("known_hosts").toAbsolutePath());
        assertThat(s.knownHosts()).isNull();
        assertThat(s.withTimeout(null).timeout()).isNull();
        assertThat(s.withTimeout(null).maxConcurrentBuilds()).isEqualTo(2);
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> of(List.of("ssh://a", "ssh://a"), null, null))
                .hasMessage("docker host ssh://a is given twice");
        assertThatThrownBy(() -> of(List.of(" "), null, null)).hasMessage("a docker host must not be empty");
        assertThatThrownBy(() -> of(List.of(), 0, null)).hasMessage("max concurrent builds must be 1 or more, got 0");
        assertThatThrownBy(() -> of(List.of(), null, Duration.ZERO)).hasMessageContaining("timeout must be positive");
    }

    @Test
    void noneGivesNothing() {
        assertThat(BuildHostSettings.none().dockerHosts()).isEmpty();
        assertThat(BuildHostSettings.none().platforms()).isEmpty();
        assertThat(new BuildRequest(Path.of("p.yaml"), null, null, null).host()).isEqualTo(BuildHostSettings.none());
    }
}
