package io.imagebuilder.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {

    @TempDir
    Path tmp;

    @Test
    void aKeyIsKnownByItsDigestAndNamesItsOwner() throws Exception {
        Path file = tmp.resolve("keys");
        Files.writeString(file, "# comment\n\n" + ApiKeys.line("ci", "first-key") + "\n"
                + ApiKeys.line("ops", "second-key") + "\n");
        ApiKeys keys = ApiKeys.parse(file);
        assertThat(keys.owner("first-key")).hasValue("ci");
        assertThat(keys.owner("second-key")).hasValue("ops");
        assertThat(keys.owner("first-key ")).isEmpty();
        assertThat(keys.owner("")).isEmpty();
        assertThat(keys.owner(null)).isEmpty();
        assertThat(Files.readString(file)).doesNotContain("first-key").doesNotContain("second-key");
    }

    @Test
    void malformedFilesAreRefusedWithTheLine() throws Exception {
        Path file = tmp.resolve("keys");
        Files.writeString(file, ApiKeys.line("ci", "k") + "\nops plaintext-key\n");
        assertThatThrownBy(() -> ApiKeys.parse(file)).hasMessageContaining(file + ":2: expected NAME SHA256-HEX")
                .hasMessageNotContaining("plaintext-key");
        Files.writeString(file, ApiKeys.line("ci", "k") + "\n" + ApiKeys.line("ci", "other") + "\n");
        assertThatThrownBy(() -> ApiKeys.parse(file)).hasMessageContaining("the name ci is used twice");
        Files.writeString(file, "# nothing\n");
        assertThatThrownBy(() -> ApiKeys.parse(file)).hasMessageContaining("holds no key");
        assertThatThrownBy(() -> ApiKeys.parse(tmp.resolve("missing"))).hasMessageContaining("cannot read");
    }
}
