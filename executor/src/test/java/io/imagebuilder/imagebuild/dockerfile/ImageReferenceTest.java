package io.imagebuilder.imagebuild.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    private static final String SHA256 = "sha256:" + "0123456789abcdef".repeat(4);

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "python,                                  -,                       python,              -,          -",
            "python:3.8-alpine,                       -,                       python,              3.8-alpine, -",
            "library/python:3.8,                      -,                       library/python,      3.8,        -",
            "bitnami/redis,                           -,                       bitnami/redis,       -,          -",
            "registry.example.com/team/app:1.0,       registry.example.com,    team/app,            1.0,        -",
            "registry.example.com:5000/app,           registry.example.com:5000, app,               -,          -",
            "localhost/app:dev,                       localhost,               app,                 dev,        -",
            "localhost:5000/a/b/c,                    localhost:5000,          a/b/c,               -,          -",
            "Registry.Example.COM/app,                Registry.Example.COM,    app,                 -,          -",
            "192.168.1.10:5000/app:latest,            192.168.1.10:5000,       app,                 latest,     -",
            "[::1]:5000/app,                          [::1]:5000,              app,                 -,          -",
            "mcr.microsoft.com/dotnet/sdk:8.0,        mcr.microsoft.com,       dotnet/sdk,          8.0,        -",
            "my_org/my__app-name--x.y:Tag_1.A-b,      -,                       my_org/my__app-name--x.y, Tag_1.A-b, -",
            "a:_,                                     -,                       a,                   _,          -",
    })
    void parsesValidReferences(String reference, String host, String path, String tag, String digest) {
        assertThat(ImageReference.isValid(reference)).isTrue();
        ImageReference parsed = ImageReference.parse(reference);
        assertThat(parsed).isEqualTo(new ImageReference(host, path, tag, digest));
        assertThat(parsed.reference()).isEqualTo(reference);
    }

    @Test
    void parsesDigests() {
        assertThat(ImageReference.parse("python@" + SHA256))
                .isEqualTo(new ImageReference(null, "python", null, SHA256));
        assertThat(ImageReference.parse("ghcr.io/org/app:1.2@" + SHA256))
                .isEqualTo(new ImageReference("ghcr.io", "org/app", "1.2", SHA256));
        assertThat(ImageReference.isValid("app@sha512:" + "ab".repeat(64))).isTrue();
        assertThat(ImageReference.isValid("app@sha384:" + "ab".repeat(48))).isTrue();
    }

    @Test
    void nameIsHostAndPath() {
        assertThat(ImageReference.parse("registry.example.com/team/app:1.0").name())
                .isEqualTo("registry.example.com/team/app");
        assertThat(ImageReference.parse("python:3.8").name()).isEqualTo("python");
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            "Python:3.8|the repository name must be lower-case",
            "team/MyApp|the repository name must be lower-case",
            "python 3.8|it is not of the form [host[:port]/]path[:tag][@digest]",
            "python:|it is not of the form [host[:port]/]path[:tag][@digest]",
            ":3.8|it is not of the form [host[:port]/]path[:tag][@digest]",
            "python:-3.8|it is not of the form [host[:port]/]path[:tag][@digest]",
            "-python|it is not of the form [host[:port]/]path[:tag][@digest]",
            "python-|it is not of the form [host[:port]/]path[:tag][@digest]",
            "a..b|it is not of the form [host[:port]/]path[:tag][@digest]",
            "a___b|it is not of the form [host[:port]/]path[:tag][@digest]",
            "app/|it is not of the form [host[:port]/]path[:tag][@digest]",
            "registry.example.com:port/app|it is not of the form [host[:port]/]path[:tag][@digest]",
            "https://registry.example.com/app|it is not of the form [host[:port]/]path[:tag][@digest]",
            "${BASE}|it is not of the form [host[:port]/]path[:tag][@digest]",
            "app@sha256:abc|it is not of the form [host[:port]/]path[:tag][@digest]",
            "app@md5:0123456789abcdef0123456789abcdef|the digest must be sha256:<64 hex digits> (or sha384:<96>, sha512:<128>), in lower case",
            "app@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef|the digest must be sha256:<64 hex digits> (or sha384:<96>, sha512:<128>), in lower case",
            "app@sha256:0123456789abcdef0123456789abcdef|the digest must be sha256:<64 hex digits> (or sha384:<96>, sha512:<128>), in lower case",
    })
    void rejectsInvalidReferencesNamingThem(String reference, String problem) {
        assertThat(ImageReference.isValid(reference)).isFalse();
        assertThatThrownBy(() -> ImageReference.parse(reference)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid image reference \"" + reference + "\": " + problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void rejectsEmptyAndBlank(String reference) {
        assertThat(ImageReference.isValid(reference)).isFalse();
    }

    @Test
    void rejectsNull() {
        assertThat(ImageReference.isValid(null)).isFalse();
        assertThatThrownBy(() -> ImageReference.parse(null)).hasMessage("invalid image reference \"null\": the reference is empty");
    }

    @Test
    void tagsAreAtMost128Characters() {
        assertThat(ImageReference.isValid("app:" + "t".repeat(128))).isTrue();
        assertThat(ImageReference.isValid("app:" + "t".repeat(129))).isFalse();
    }

    @Test
    void namesAreAtMost255Characters() {
        String path = "a".repeat(100) + "/" + "b".repeat(100) + "/" + "c".repeat(54);
        assertThat(path).hasSize(256);
        assertThat(ImageReference.isValid(path.substring(1))).isTrue();
        assertThatThrownBy(() -> ImageReference.parse(path + ":1")).hasMessageEndingWith(
                "the repository name must not be longer than 255 characters");
    }

    @Test
    void rejectsHugeInputQuickly() {
        String huge = "a".repeat(200_000) + "!";
        assertThatThrownBy(() -> ImageReference.parse(huge)).hasMessageEndingWith("the reference is too long");
    }
}
