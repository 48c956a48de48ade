package io.imagebuilder.secret;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsModuleTest {

    @Test
    void namesThatSayTheirValueIsSecret() {
        for (String name : List.of("password", "registry_password", "DB_PASSWD", "passphrase", "client_secret",
                "API_KEY", "apikey", "registry_token", "private_key_data", "credentials")) {
            assertThat(SecretNames.isSecret(name)).as(name).isTrue();
        }
        for (String name : List.of("username", "user", "ssh_private_key", "image", "tag", "")) {
            assertThat(SecretNames.isSecret(name)).as(name).isFalse();
        }
        assertThat(SecretNames.isSecret(null)).isFalse();
    }

    @Test
    void masksEverySecretLongestFirst() {
        Redactor r = new Redactor(Set.of("hunter22", "hunter22-and-more"));
        assertThat(r.redact("a hunter22-and-more b hunter22 c")).isEqualTo("a **** b **** c");
    }

    @Test
    void shortValuesAreNotSearchedFor() {
        // three letters would mask ordinary words all over a log
        assertThat(new Redactor(Set.of("abc")).redact("abc abcd")).isEqualTo("abc abcd");
        assertThat(new Redactor(Set.of("abcd")).redact("abc abcd")).isEqualTo("abc ****");
    }

    @Test
    void masksInsideNestedValues() {
        Redactor r = new Redactor(Set.of("s3cr3t!"));
        assertThat(r.redactValue(Map.of("a", List.of("x s3cr3t! y"), "b", 5)))
                .isEqualTo(Map.of("a", List.of("x **** y"), "b", 5));
        assertThat(Redactor.none().redact("s3cr3t!")).isEqualTo("s3cr3t!");
    }
}
