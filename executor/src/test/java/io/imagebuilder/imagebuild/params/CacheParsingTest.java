package io.imagebuilder.imagebuild.params;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.imagebuilder.imagebuild.params.Parsing.problems;
import static io.imagebuilder.imagebuild.params.Parsing.valid;
import static io.imagebuilder.imagebuild.params.Parsing.withSource;
import static org.assertj.core.api.Assertions.assertThat;

class CacheParsingTest {

    private static String withCache(String cache) {
        return withSource("path: /srv/app\n") + "cache:\n" + cache.indent(2);
    }

    @Test
    void readsFromAndTo() {
        BuildParams p = valid(withCache("""
                from: [cache/app:main, "registry.example.com/cache/app@sha256:%s"]
                to: cache/app:main
                """.formatted("a".repeat(64))));
        assertThat(p.cache()).isEqualTo(new CacheSpec(List.of("cache/app:main",
                "registry.example.com/cache/app@sha256:" + "a".repeat(64)), "cache/app:main"));
        assertThat(valid(withCache("to: cache/app\n")).cache()).isEqualTo(new CacheSpec(List.of(), "cache/app"));
        assertThat(BuildParamsParser.toPlain(valid(withCache("to: cache/app\n"))))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("cache", Map.of("to", "cache/app"));
    }

    @Test
    void refusesBadReferencesAndShapes() {
        assertThat(problems(withCache("""
                from: cache/app
                to: "cache/app@sha256:%s"
                """.formatted("b".repeat(64))))).containsExactly(
                "bp.yaml:7:9: cache.from: expected a list, got the string \"cache/app\"",
                "bp.yaml:8:7: cache.to: cache/app@sha256:" + "b".repeat(64) + " names a digest; a cache is pushed "
                        + "under a tag");
        assertThat(problems(withCache("from: [Cache/App]\n"))).hasSize(1)
                .allMatch(p -> p.startsWith("bp.yaml:7:10: cache.from[0]: "));
        assertThat(problems(withCache("{}\n"))).containsExactly("bp.yaml:7:3: cache: expected from, to or both");
        assertThat(problems(withCache("form: [a]\n")))
                .contains("bp.yaml:7:3: cache.form: unknown field; did you mean \"from\"?");
    }
}
