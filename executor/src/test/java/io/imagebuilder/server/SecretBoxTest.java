package io.imagebuilder.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {

    @TempDir
    Path tmp;

    @Test
    void aNewKeyFileIsPrivateAndSealedTextOpensOnlyWithItsKey() throws Exception {
        Path keyFile = tmp.resolve("secret.key");
        SecretBox box = SecretBox.open(keyFile);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        byte[] plain = "{\"password\": \"hunter2\"}".getBytes(StandardCharsets.UTF_8);
        String sealed = box.seal(plain);
        assertThat(new String(Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        assertThat(box.seal(plain)).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(SecretBox.open(keyFile).open(sealed)).isEqualTo(plain);
        SecretBox other = SecretBox.open(tmp.resolve("other.key"));
        assertThatThrownBy(() -> other.open(sealed)).hasMessageContaining("cannot be decrypted with this server's");
        byte[] raw = Base64.getDecoder().decode(sealed);
        raw[raw.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(Base64.getEncoder().encodeToString(raw))).isInstanceOf(IllegalStateException.class);
        assertThat(box.fingerprint(plain)).isEqualTo(SecretBox.open(keyFile).fingerprint(plain))
                .isNotEqualTo(other.fingerprint(plain));
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        Path keyFile = tmp.resolve("secret.key");
        SecretBox.open(keyFile);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SecretBox.open(keyFile)).hasMessageContaining("chmod 600");
    }
}
