package io.imagebuilder.imagebuild.params;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.imagebuilder.imagebuild.params.Parsing.problems;
import static io.imagebuilder.imagebuild.params.Parsing.valid;
import static io.imagebuilder.imagebuild.params.Parsing.withSource;
import static org.assertj.core.api.Assertions.assertThat;

class BuildSecretsParsingTest {

    private static String withExtra(String extra) {
        return withSource("path: /srv/app\n") + extra;
    }

    @Test
    void readsEachKindOfSecretAndTheProxyCa() {
        BuildParams p = valid(withExtra("""
                secrets:
                  npmrc: { file: ./npmrc }
                  gh.token: { env: GH_TOKEN }
                  api-key: { value: s3cr3t-value }
                proxy_ca: /etc/proxy/ca.pem
                """));
        assertThat(p.secrets()).containsExactly(BuildSecret.file("npmrc", "./npmrc"),
                BuildSecret.env("gh.token", "GH_TOKEN"), BuildSecret.value("api-key", new Secret("s3cr3t-value")));
        assertThat(p.proxyCa()).isEqualTo("/etc/proxy/ca.pem");
        assertThat(p.mountsSecrets()).isTrue();
        assertThat(valid(withExtra("")).mountsSecrets()).isFalse();
    }

    @Test
    void writesThemBackInThePlainForm() {
        BuildParams p = valid(withExtra("""
                secrets:
                  npmrc: { file: ./npmrc }
                  key: { value: s3cr3t-value }
                proxy_ca: ca.pem
                """));
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) BuildParamsParser.toPlain(p);
        assertThat(plain).containsEntry("secrets", Map.of("npmrc", Map.of("file", "./npmrc"),
                "key", Map.of("value", "s3cr3t-value"))).containsEntry("proxy_ca", "ca.pem");
        assertThat(p.secrets().get(1).toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void refusesEntriesWithNoneOrSeveralSources() {
        assertThat(problems(withExtra("""
                secrets:
                  a: { file: x, env: Y }
                  b: {}
                  c: { path: x }
                """))).containsExactly(
                "bp.yaml:7:6: secrets.a: expected exactly one of file, env and value; found file and env",
                "bp.yaml:8:6: secrets.b: expected exactly one of file, env and value; found none",
                "bp.yaml:9:6: secrets.c: expected exactly one of file, env and value; found none",
                "bp.yaml:9:8: secrets.c.path: unknown field; expected one of file, env, value");
    }

    @Test
    void refusesBadIdsNamesAndReservedIds() {
        assertThat(problems(withExtra("""
                secrets:
                  "a,b": { value: x }
                  image-builder-proxy-ca: { value: x }
                  ok: { env: 1BAD }
                  list: [ x ]
                  num: { value: 12 }
                proxy_ca: ""
                """))).containsExactly(
                "bp.yaml:7:3: secrets.a,b: \"a,b\" is not a secret id; expected up to 64 letters, digits, '_', '.' "
                        + "and '-', starting with a letter or digit",
                "bp.yaml:8:3: secrets.image-builder-proxy-ca: ids starting with \"image-builder-\" are kept for the "
                        + "secrets the executor adds itself",
                "bp.yaml:9:14: secrets.ok.env: \"1BAD\" is not an environment variable name; expected letters, "
                        + "digits and '_', not starting with a digit",
                "bp.yaml:10:9: secrets.list: expected a map, got a list",
                "bp.yaml:11:17: secrets.num.value: expected a string, got a number; put the value in quotes so that "
                        + "it is read as text, exactly as written",
                "bp.yaml:12:11: proxy_ca: must not be empty");
    }

    @Test
    void neverShowsASecretValueInAProblem() {
        List<String> found = problems(withExtra("""
                secrets:
                  key: { value: [ hunter2-secret ] }
                """));
        assertThat(found).hasSize(1);
        assertThat(found.get(0)).contains("secrets.key.value: expected a string, got a list")
                .doesNotContain("hunter2-secret");
    }
}
