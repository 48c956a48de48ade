package io.imagebuilder.problem;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;

class QuoteTest {

    @Test
    void shortTextIsQuotedAsItIs() {
        assertThat(Quote.of("bad tag")).isEqualTo("\"bad tag\"");
        assertThat(Quote.of("")).isEqualTo("\"\"");
        assertThat(Quote.of("välue ✓ 😀")).isEqualTo("\"välue ✓ 😀\"");
    }

    @Test
    void controlCharactersAreEscapedSoThatAValueCannotStartALine() {
        assertThat(Quote.of("a\nb\rc\td")).isEqualTo("\"a\\nb\\rc\\td\"");
        assertThat(Quote.of("\u001b[31mred\u001b[0m")).isEqualTo("\"\\u001b[31mred\\u001b[0m\"");
        assertThat(Quote.of("\u0000\u007f\u0085\u009b")).isEqualTo("\"\\u0000\\u007f\\u0085\\u009b\"");
        // line separators end lines in some viewers; a right-to-left override reorders what follows it
        assertThat(Quote.of("a\u2028b\u2029c\u202ed\u200be")).isEqualTo("\"a\\u2028b\\u2029c\\u202ed\\u200be\"");
    }

    @Test
    void quotesAndBackslashesInsideAreEscaped() {
        assertThat(Quote.of("say \"hi\" C:\\x")).isEqualTo("\"say \\\"hi\\\" C:\\\\x\"");
        assertThat(Quote.bare("say \"hi\" C:\\x")).isEqualTo("say \"hi\" C:\\x");
    }

    @Test
    void longTextIsCutAndItsLengthGiven() {
        String mebibyte = "a".repeat(1_048_576);
        assertThat(Quote.of(mebibyte)).isEqualTo("\"" + "a".repeat(80) + "\"…(1048576 characters)");
        assertThat(Quote.bare(mebibyte)).isEqualTo("a".repeat(80) + "…(1048576 characters)");
        assertThat(Quote.of("a".repeat(80))).isEqualTo("\"" + "a".repeat(80) + "\"");
        assertThat(Quote.of("\n".repeat(81))).isEqualTo("\"" + "\\n".repeat(80) + "\"…(81 characters)");
    }

    @Test
    void charactersOutsideTheBasicPlaneAreCountedAndKeptWhole() {
        String faces = "😀".repeat(100);
        assertThat(Quote.of(faces)).isEqualTo("\"" + "😀".repeat(80) + "\"…(100 characters)");
        assertThat(Quote.of("😀".repeat(80))).isEqualTo("\"" + "😀".repeat(80) + "\"");
    }

    @Test
    void everyProblemIsOneLineWhateverItQuotes() {
        Problem p = Problem.at(Location.of("t.yaml", 1, 1), "value \"x\nt.yaml:9:9: fake\u001b[2K\" is wrong");
        assertThat(p.message()).isEqualTo("value \"x\\nt.yaml:9:9: fake\\u001b[2K\" is wrong");
        assertThat(p.toString()).doesNotContain("\n").doesNotContain("\u001b");
    }
}
