package io.imagebuilder.imagebuild.params;

import static io.imagebuilder.imagebuild.params.Parsing.problems;
import static io.imagebuilder.imagebuild.params.Parsing.valid;
import static io.imagebuilder.imagebuild.params.Parsing.withSource;
import static io.imagebuilder.imagebuild.params.Parsing.withTarget;
import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildParamsParserTest {

    @Test
    void readsEveryFieldOfEveryPart() {
        BuildParams p = valid("""
                source:
                  git_repo:
                    url: https://example.com/app.git
                    version: v1
                    username: builder
                    password: s3cret
                    workdir: code
                    dockerfile: docker/Dockerfile
                target:
                  images:
                    - image: app/web
                      tag: "3.10"
                      base: python:3.10-alpine
                      platforms: [linux/amd64, linux/arm/v7]
                  registry:
                    url: https://registry.example.com:5000/
                    username: pusher
                    password: hunter2
                    insecure: true
                build_args:
                  VERSION: "1"
                labels:
                  org.opencontainers.image.title: web
                """);
        assertThat(p.source()).isEqualTo(new Source.Git("https://example.com/app.git", "v1",
                new Credentials("builder", new Secret("s3cret")), "code", "docker/Dockerfile"));
        assertThat(p.target().images()).containsExactly(new ImageSpec("app/web", "3.10", "python:3.10-alpine",
                List.of(new Platform("linux", "amd64", null), new Platform("linux", "arm", "v7"))));
        assertThat(p.target().registry()).isEqualTo(new RegistrySpec("https://registry.example.com:5000/",
                new Credentials("pusher", new Secret("hunter2")), true));
        assertThat(p.buildArgs()).containsExactly(Map.entry("VERSION", "1"));
        assertThat(p.labels()).containsExactly(Map.entry("org.opencontainers.image.title", "web"));
    }

    @Test
    void appliesTheDefaultsOfTheDataTypes() {
        BuildParams p = valid(withSource("""
                git_repo:
                  url: https://example.com/app.git
                """));
        assertThat(p.source()).isEqualTo(new Source.Git("https://example.com/app.git", null, Credentials.NONE, ".",
                "Dockerfile"));
        assertThat(p.target().images()).containsExactly(new ImageSpec("app/web", "latest", null, List.of()));
        assertThat(p.target().registry()).isNull();
        assertThat(p.buildArgs()).isEmpty();
        assertThat(p.labels()).isEmpty();
        assertThat(valid(withTarget("""
                images: [ { image: a } ]
                registry: { url: docker.io }
                """)).target().registry()).isEqualTo(new RegistrySpec("docker.io", Credentials.NONE, false));
    }

    @Test
    void readsEachSourceMode() {
        assertThat(valid(withSource("""
                dockerfile: { url: "https://example.com/Dockerfile", username: u, password: p }
                build_context: { url: "git@example.com:team/app.git", subdir: app }
                """)).source()).isEqualTo(new Source.DockerfileUrl("https://example.com/Dockerfile",
                new Credentials("u", new Secret("p")),
                new Source.BuildContext("git@example.com:team/app.git", "app", null, Credentials.NONE)));
        assertThat(valid(withSource("""
                dockerfile: { url: "http://example.com/Dockerfile" }
                build_context: { path: /srv/context }
                """)).source()).isEqualTo(new Source.DockerfileUrl("http://example.com/Dockerfile",
                Credentials.NONE, new Source.BuildContext(null, null, "/srv/context", Credentials.NONE)));
        assertThat(valid(withSource("tar: { url: https://example.com/app.tar }\n")).source())
                .isEqualTo(new Source.Tar("https://example.com/app.tar", null, Credentials.NONE));
        assertThat(valid(withSource("tar: { path: app.tar.gz }\n")).source())
                .isEqualTo(new Source.Tar(null, "app.tar.gz", Credentials.NONE));
        assertThat(valid(withSource("path: ./app\n")).source()).isEqualTo(new Source.LocalPath("./app"));
    }

    @Test
    void keepsTheCallersEarlierProblemsOutOfItsVerdict() {
        Problems problems = new Problems();
        problems.add(Location.file("other.yaml"), "something else");
        assertThat(BuildParamsParser.parse(withSource("path: /srv/app\n"), "bp.yaml", problems)).isNotNull();
        assertThat(problems.size()).isEqualTo(1);
    }

    // --- the document and its fields

    @Test
    void rejectsADocumentThatIsNotAMap() {
        assertThat(problems("- source\n- target\n"))
                .containsExactly("bp.yaml:1:1: build_params: expected a map, got a list");
        assertThat(problems("\"a string\"\n"))
                .containsExactly("bp.yaml:1:1: build_params: expected a map, got the string \"a string\"");
    }

    @Test
    void rejectsAPartThatIsNotAMap() {
        assertThat(problems("""
                source: [ git_repo ]
                target:
                  images: [ { image: a }, a ]
                  registry: docker.io
                """)).containsExactly(
                "bp.yaml:1:9: source: expected a map, got a list",
                "bp.yaml:3:27: target.images[1]: expected a map, got the string \"a\"",
                "bp.yaml:4:13: target.registry: expected a map, got the string \"docker.io\"");
    }

    @Test
    void rejectsUnknownFieldsAtEveryLevelWithAHint() {
        assertThat(problems("""
                sorce: {}
                source:
                  git_repo:
                    url: https://example.com/app.git
                    workdri: app
                target:
                  images:
                    - image: app/web
                      tags: latest
                  registry:
                    url: docker.io
                    insecur: true
                lables: {}
                """)).containsExactly(
                "bp.yaml:1:1: sorce: unknown field; did you mean \"source\"?",
                "bp.yaml:5:5: source.git_repo.workdri: unknown field; did you mean \"workdir\"?",
                "bp.yaml:9:7: target.images[0].tags: unknown field; did you mean \"tag\"?",
                "bp.yaml:12:5: target.registry.insecur: unknown field; did you mean \"insecure\"?",
                "bp.yaml:13:1: lables: unknown field; did you mean \"labels\"?");
    }

    @Test
    void listsTheKnownFieldsWhenNoneIsClose() {
        assertThat(problems(withSource("""
                path: /srv/app
                repository: x
                """))).containsExactly("bp.yaml:3:3: source.repository: unknown field; expected one of git_repo, "
                + "dockerfile, build_context, tar, path, image, add, config");
    }

    @Test
    void rejectsMissingSourceAndTarget() {
        assertThat(problems("build_args: {}\n")).containsExactly(
                "bp.yaml:1:1: source: missing required field",
                "bp.yaml:1:1: target: missing required field");
    }

    @Test
    void rejectsANumberWhereAStringBelongsWithAHintToQuoteIt() {
        assertThat(problems(withTarget("""
                images:
                  - image: app/python
                    tag: 3.10
                """))).containsExactly("bp.yaml:6:12: target.images[0].tag: expected a string, got the float 3.1; "
                + "put the value in quotes so that it is read as text, exactly as written");
    }

    @Test
    void rejectsOtherWrongTypes() {
        assertThat(problems("""
                source:
                  git_repo:
                    url: [ https://example.com/app.git ]
                    version: true
                target:
                  images: { image: a }
                """)).containsExactly(
                "bp.yaml:3:10: source.git_repo.url: expected a string, got a list",
                "bp.yaml:4:14: source.git_repo.version: expected a string, got the boolean true; put the value in "
                        + "quotes so that it is read as text, exactly as written",
                "bp.yaml:6:11: target.images: expected a list, got a map");
        assertThat(problems(withTarget("""
                images:
                  - image:
                """))).containsExactly("bp.yaml:5:13: target.images[0].image: expected a string, got null");
    }

    @Test
    void reportsEveryProblemNotJustTheFirst() {
        assertThat(problems("""
                source: {}
                target:
                  images:
                    - image: App
                      tag: -x
                    - image: app
                      platforms: [ linux ]
                build_args: { A=B: x }
                """)).extracting(p -> p.substring(0, p.indexOf(": ", p.indexOf(": ") + 2))).containsExactly(
                "bp.yaml:1:9: source",
                "bp.yaml:4:14: target.images[0].image",
                "bp.yaml:5:12: target.images[0].tag",
                "bp.yaml:7:20: target.images[1].platforms[0]",
                "bp.yaml:8:15: build_args.A=B");
    }

    // --- source modes

    @Test
    void rejectsASourceWithoutAMode() {
        assertThat(problems(withSource("{}\n"))).containsExactly(
                "bp.yaml:2:3: source: expected exactly one of git_repo, dockerfile, tar, path and image; found none");
    }

    @Test
    void rejectsASourceWithSeveralModes() {
        assertThat(problems(withSource("""
                git_repo: { url: https://example.com/app.git }
                tar: { url: https://example.com/app.tar }
                path: /srv/app
                """))).containsExactly("bp.yaml:2:3: source: expected exactly one of git_repo, dockerfile, tar, "
                + "path and image; found git_repo, tar and path");
    }

    @Test
    void namesTwoModesFound() {
        assertThat(problems(withSource("""
                dockerfile: { url: https://example.com/Dockerfile }
                path: /srv/app
                """))).containsExactly("bp.yaml:2:3: source: expected exactly one of git_repo, dockerfile, tar, "
                + "path and image; found dockerfile and path");
    }

    @Test
    void rejectsABuildContextWithAnotherModeNamingBoth() {
        assertThat(problems(withSource("""
                git_repo: { url: https://example.com/app.git }
                build_context: { url: https://example.com/context.git }
                """))).containsExactly("bp.yaml:3:18: source.build_context: only allowed together with "
                + "source.dockerfile, not with source.git_repo");
        assertThat(problems(withSource("""
                tar: { path: app.tar }
                build_context: { path: /srv/context }
                """))).containsExactly("bp.yaml:3:18: source.build_context: only allowed together with "
                + "source.dockerfile, not with source.tar");
        assertThat(problems(withSource("""
                path: /srv/app
                build_context: { path: /srv/context }
                """))).containsExactly("bp.yaml:3:18: source.build_context: only allowed together with "
                + "source.dockerfile, not with source.path");
    }

    @Test
    void rejectsABuildContextAlone() {
        assertThat(problems(withSource("""
                build_context: { path: /srv/context }
                """))).containsExactly(
                "bp.yaml:2:3: source: expected exactly one of git_repo, dockerfile, tar, path and image; found none",
                "bp.yaml:2:18: source.build_context: only allowed together with source.dockerfile");
    }

    @Test
    void rejectsABuildContextWithoutExactlyOneOfUrlAndPath() {
        assertThat(problems(withSource("""
                dockerfile: { url: https://example.com/Dockerfile }
                build_context: { url: https://example.com/context.git, path: /srv/context }
                """))).containsExactly(
                "bp.yaml:3:18: source.build_context: expected exactly one of url and path; found both");
        assertThat(problems(withSource("""
                dockerfile: { url: https://example.com/Dockerfile }
                build_context: { subdir: app }
                """))).containsExactly(
                "bp.yaml:3:18: source.build_context: expected exactly one of url and path; found neither");
    }

    @Test
    void rejectsASubdirWithoutAUrl() {
        assertThat(problems(withSource("""
                dockerfile: { url: https://example.com/Dockerfile }
                build_context: { path: /srv/context, subdir: app }
                """))).containsExactly("bp.yaml:3:48: source.build_context.subdir: only allowed together with "
                + "source.build_context.url, not with source.build_context.path");
    }

    @Test
    void rejectsATarWithoutExactlyOneOfUrlAndPath() {
        assertThat(problems(withSource("tar: { url: https://example.com/app.tar, path: app.tar }\n")))
                .containsExactly("bp.yaml:2:8: source.tar: expected exactly one of url and path; found both");
        assertThat(problems(withSource("tar: { username: u }\n")))
                .containsExactly("bp.yaml:2:8: source.tar: expected exactly one of url and path; found neither");
    }

    @Test
    void rejectsAMissingUrl() {
        assertThat(problems(withSource("git_repo: { version: main }\n")))
                .containsExactly("bp.yaml:2:13: source.git_repo.url: missing required field");
        assertThat(problems(withSource("dockerfile: { username: u }\n")))
                .containsExactly("bp.yaml:2:15: source.dockerfile.url: missing required field");
    }

    @Test
    void rejectsAnEmptyVersion() {
        assertThat(problems(withSource("git_repo: { url: https://example.com/app.git, version: \"\" }\n")))
                .containsExactly("bp.yaml:2:58: source.git_repo.version: must not be empty");
    }

    // --- images

    @Test
    void rejectsMissingOrEmptyImages() {
        assertThat(problems(withTarget("registry: { url: docker.io }\n")))
                .containsExactly("bp.yaml:4:3: target.images: missing required field");
        assertThat(problems(withTarget("images: []\n")))
                .containsExactly("bp.yaml:4:11: target.images: expected at least one image, got an empty list");
    }

    @Test
    void rejectsDuplicateImageTagPairsNamingBothIndexes() {
        assertThat(problems(withTarget("""
                images:
                  - image: app/web
                  - image: app/web
                    tag: v1
                  - image: app/web
                    tag: latest
                """))).containsExactly("bp.yaml:8:7: target.images[2]: app/web:latest is listed twice, as "
                + "target.images[0] and target.images[2]");
    }

    @Test
    void rejectsAnInvalidRepositoryName() {
        assertThat(problems(withTarget("""
                images:
                  - image: Repository/App
                  - image: app/web:1.0
                  - image: app/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                  - image: ""
                """))).containsExactly(
                "bp.yaml:5:14: target.images[0].image: \"Repository/App\" is not a valid repository name; expected "
                        + "lower-case path components separated by \"/\", optionally after registry-host[:port]/",
                "bp.yaml:6:14: target.images[1].image: \"app/web:1.0\" includes a tag; give only the repository "
                        + "name and the tag in the tag field",
                "bp.yaml:7:14: target.images[2].image: \"app/web@sha256:0123456789abcdef0123456789abcdef0123456789"
                        + "abcdef0123456789abcdef\" includes a digest; give only the repository name",
                "bp.yaml:8:14: target.images[3].image: \"\" is not a valid repository name; expected lower-case "
                        + "path components separated by \"/\", optionally after registry-host[:port]/");
    }

    @Test
    void acceptsRepositoryNamesWithARegistryHost() {
        assertThat(valid(withTarget("""
                images:
                  - image: 127.0.0.1:5000/team/app_web
                  - image: registry.example.com/team/app-web.v2
                """)).target().images()).hasSize(2);
    }

    @Test
    void rejectsAnInvalidTag() {
        assertThat(problems(withTarget("""
                images:
                  - image: app
                    tag: .hidden
                  - image: app
                    tag: "%s"
                """.formatted("x".repeat(129))))).containsExactly(
                "bp.yaml:6:12: target.images[0].tag: \".hidden\" is not a valid tag; expected up to 128 letters, "
                        + "digits, \"_\", \".\" and \"-\", not starting with \".\" or \"-\"",
                "bp.yaml:8:12: target.images[1].tag: \"" + "x".repeat(80) + "\"…(129 characters) is not a valid "
                        + "tag; expected up to 128 letters, digits, \"_\", \".\" and \"-\", not starting with \".\" or "
                        + "\"-\"");
    }

    @Test
    void rejectsOverlongValuesAndEscapesTheValuesItShows() {
        assertThat(problems(withTarget("""
                images:
                  - image: app
                    tag: "v1\\nbp.yaml:1:1: all good\\e[0m"
                  - image: app
                    tag: "%s"
                """.formatted("word ".repeat(14_000))))).containsExactly(
                "bp.yaml:6:12: target.images[0].tag: \"v1\\nbp.yaml:1:1: all good\\u001b[0m\" is not a valid "
                        + "tag; expected up to 128 letters, digits, \"_\", \".\" and \"-\", not starting with \".\" or "
                        + "\"-\"",
                "bp.yaml:8:12: target.images[1].tag: value is 70000 characters long; at most 65536 are allowed");
    }

    @Test
    void rejectsAnInvalidBase() {
        assertThat(problems(withTarget("""
                images:
                  - image: app
                    base: Python:3.8
                """))).containsExactly("bp.yaml:6:13: target.images[0].base: invalid image reference "
                + "\"Python:3.8\": the repository name must be lower-case");
    }

    @Test
    void rejectsInvalidAndDuplicatePlatforms() {
        assertThat(problems(withTarget("""
                images:
                  - image: app
                    platforms: [ linux/amd64, linux, Linux/ARM64, linux/arm/v7/x, linux/amd64 ]
                  - image: app
                    tag: other
                    platforms: [ linux/amd64 ]
                """))).containsExactly(
                "bp.yaml:6:33: target.images[0].platforms[1]: \"linux\" is not a platform; expected os/arch or "
                        + "os/arch/variant in lower case, e.g. linux/arm64 or linux/arm/v7",
                "bp.yaml:6:40: target.images[0].platforms[2]: \"Linux/ARM64\" is not a platform; expected os/arch "
                        + "or os/arch/variant in lower case, e.g. linux/arm64 or linux/arm/v7",
                "bp.yaml:6:53: target.images[0].platforms[3]: \"linux/arm/v7/x\" is not a platform; expected "
                        + "os/arch or os/arch/variant in lower case, e.g. linux/arm64 or linux/arm/v7",
                "bp.yaml:6:69: target.images[0].platforms[4]: linux/amd64 is listed twice, as "
                        + "target.images[0].platforms[0] and target.images[0].platforms[4]");
    }

    @Test
    void platformsMustBeKnownLinuxPlatforms() {
        assertThat(problems(withTarget("""
                images:
                  - image: app
                    platforms: [ linux/amd65, windows/amd64, linux/sparc, linux/arm/v9, linux/386/v2 ]
                """))).containsExactly(
                "bp.yaml:6:20: target.images[0].platforms[0]: \"amd65\" is not a known architecture; expected one "
                        + "of 386, amd64, arm, arm64, loong64, mips, mips64, mips64le, mipsle, ppc64, ppc64le, "
                        + "riscv64, s390x",
                "bp.yaml:6:33: target.images[0].platforms[1]: the operating system \"windows\" cannot be built: "
                        + "build hosts are Linux engines; expected linux/ARCH",
                "bp.yaml:6:48: target.images[0].platforms[2]: \"sparc\" is not a known architecture; expected one "
                        + "of 386, amd64, arm, arm64, loong64, mips, mips64, mips64le, mipsle, ppc64, ppc64le, "
                        + "riscv64, s390x",
                "bp.yaml:6:61: target.images[0].platforms[3]: \"v9\" is not a variant of arm; expected one of v5, "
                        + "v6, v7, v8",
                "bp.yaml:6:75: target.images[0].platforms[4]: the architecture 386 has no variants");
    }

    @Test
    void sodalitesPlatformsAndDockersAliasesAreAccepted() {
        BuildParams params = valid(withTarget("""
                images:
                  - image: app
                    platforms: [ linux/amd64, linux/386, linux/arm64, linux/ppc64le, linux/s390x, linux/arm/v7,
                                 linux/arm/v6, linux/riscv64, linux/arm64/v8 ]
                  - image: aliases
                    platforms: [ linux/x86_64, linux/aarch64, linux/armhf ]
                """));
        assertThat(params.target().images().get(1).platforms()).extracting(Platform::toString)
                .containsExactly("linux/amd64", "linux/arm64", "linux/arm/v7");
        assertThat(Platform.parse("linux/x86_64")).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(Platform.parse("linux/armhf")).isEqualTo(new Platform("linux", "arm", "v7"));
    }

    // --- URLs

    @Test
    void acceptsTheGitUrlForms() {
        for (String url : List.of("https://example.com/app.git", "http://example.com/app.git",
                "ssh://git@example.com:2222/team/app.git", "git://example.com/app.git", "file:///srv/repos/app.git",
                "git@example.com:team/app.git", "/srv/repos/app.git", "HTTPS://example.com/app.git")) {
            assertThat(valid(withSource("git_repo: { url: \"" + url + "\" }\n")).source())
                    .isEqualTo(new Source.Git(url, null, Credentials.NONE, ".", "Dockerfile"));
        }
    }

    @Test
    void rejectsOtherGitUrlsNamingTheSchemeAndWhatIsAccepted() {
        assertThat(problems(withSource("git_repo: { url: \"ftp://example.com/app.git\" }\n"))).containsExactly(
                "bp.yaml:2:20: source.git_repo.url: scheme \"ftp\" is not accepted; expected https, http, ssh, git "
                        + "or file, or user@host:path");
        assertThat(problems(withSource("git_repo: { url: example.com/app.git }\n"))).containsExactly(
                "bp.yaml:2:20: source.git_repo.url: not a git URL; expected an https, http, ssh, git or file URL, "
                        + "user@host:path or an absolute local path");
        assertThat(problems(withSource("git_repo: { url: \"https:///app.git\" }\n"))).containsExactly(
                "bp.yaml:2:20: source.git_repo.url: the URL has no host");
        assertThat(problems(withSource("git_repo: { url: \"https://example.com/my app.git\" }\n"))).containsExactly(
                "bp.yaml:2:20: source.git_repo.url: must not contain spaces, line breaks or control characters");
    }

    @Test
    void rejectsNonHttpUrlsForDockerfilesAndArchives() {
        assertThat(problems(withSource("dockerfile: { url: \"file:///srv/Dockerfile\" }\n"))).containsExactly(
                "bp.yaml:2:22: source.dockerfile.url: scheme \"file\" is not accepted; expected http or https");
        assertThat(problems(withSource("tar: { url: \"ssh://example.com/app.tar\" }\n"))).containsExactly(
                "bp.yaml:2:15: source.tar.url: scheme \"ssh\" is not accepted; expected http or https");
        assertThat(problems(withSource("tar: { url: example.com/app.tar }\n"))).containsExactly(
                "bp.yaml:2:15: source.tar.url: not a URL; expected an http or https URL");
        assertThat(problems(withSource("""
                dockerfile: { url: https://example.com/Dockerfile }
                build_context: { url: "svn://example.com/context" }
                """))).containsExactly("bp.yaml:3:25: source.build_context.url: scheme \"svn\" is not accepted; "
                + "expected https, http, ssh, git or file, or user@host:path");
    }

    @Test
    void rejectsCredentialsInUrlsWithoutEchoingThem() {
        String hint = "the URL contains credentials; give them in the username and password fields instead";
        assertThat(problems(withSource("git_repo: { url: \"https://me:pa55word@example.com/app.git\" }\n")))
                .containsExactly("bp.yaml:2:20: source.git_repo.url: " + hint);
        assertThat(problems(withSource("git_repo: { url: \"ssh://me:pa55word@example.com/app.git\" }\n")))
                .containsExactly("bp.yaml:2:20: source.git_repo.url: " + hint);
        assertThat(problems(withSource("dockerfile: { url: \"https://ghp_token@example.com/Dockerfile\" }\n")))
                .containsExactly("bp.yaml:2:22: source.dockerfile.url: " + hint);
        assertThat(problems(withSource("tar: { url: \"http://me:pa55word@example.com/app.tar\" }\n")))
                .containsExactly("bp.yaml:2:15: source.tar.url: " + hint);
        assertThat(problems(withTarget("""
                images: [ { image: app } ]
                registry: { url: "https://me:pa55word@registry.example.com" }
                """))).containsExactly("bp.yaml:5:20: target.registry.url: " + hint);
    }

    @Test
    void acceptsAUserNameAloneInSshUrls() {
        assertThat(valid(withSource("git_repo: { url: \"ssh://git@example.com/app.git\" }\n")).source())
                .isInstanceOf(Source.Git.class);
    }

    // --- paths

    @Test
    void rejectsAbsoluteRelativePaths() {
        assertThat(problems(withSource("""
                git_repo:
                  url: https://example.com/app.git
                  workdir: /etc
                  dockerfile: /etc/Dockerfile
                """))).containsExactly(
                "bp.yaml:4:14: source.git_repo.workdir: \"/etc\" is an absolute path; give a path relative to the "
                        + "repository root",
                "bp.yaml:5:17: source.git_repo.dockerfile: \"/etc/Dockerfile\" is an absolute path; give a path "
                        + "relative to the repository root");
        assertThat(problems(withSource("""
                dockerfile: { url: https://example.com/Dockerfile }
                build_context: { url: https://example.com/context.git, subdir: /app }
                """))).containsExactly("bp.yaml:3:66: source.build_context.subdir: \"/app\" is an absolute path; "
                + "give a path relative to the repository root");
    }

    @Test
    void rejectsPathsLeavingTheRootAfterNormalising() {
        assertThat(problems(withSource("""
                git_repo:
                  url: https://example.com/app.git
                  workdir: a/../..
                  dockerfile: ./x/../../Dockerfile
                """))).containsExactly(
                "bp.yaml:4:14: source.git_repo.workdir: \"a/../..\" leads outside the repository root",
                "bp.yaml:5:17: source.git_repo.dockerfile: \"./x/../../Dockerfile\" leads outside the repository "
                        + "root");
        assertThat(valid(withSource("""
                git_repo:
                  url: https://example.com/app.git
                  workdir: a/../b/./c/..
                  dockerfile: docker/../Dockerfile
                """)).source()).isEqualTo(new Source.Git("https://example.com/app.git", null, Credentials.NONE,
                "a/../b/./c/..", "docker/../Dockerfile"));
    }

    @Test
    void rejectsNulAndLineBreaksInPaths() {
        assertThat(problems(withSource("""
                git_repo:
                  url: https://example.com/app.git
                  workdir: "app\\0"
                  dockerfile: "docker\\nfile"
                """))).containsExactly(
                "bp.yaml:4:14: source.git_repo.workdir: must not contain NUL or line-break characters",
                "bp.yaml:5:17: source.git_repo.dockerfile: must not contain NUL or line-break characters");
        assertThat(problems(withSource("path: \"/srv/app\\n\"\n")))
                .containsExactly("bp.yaml:2:9: source.path: must not contain NUL or line-break characters");
    }

    @Test
    void rejectsEmptyPaths() {
        assertThat(problems(withSource("git_repo: { url: https://example.com/app.git, workdir: \"\" }\n")))
                .containsExactly("bp.yaml:2:58: source.git_repo.workdir: must not be empty");
        assertThat(problems(withSource("tar: { path: \"\" }\n")))
                .containsExactly("bp.yaml:2:16: source.tar.path: must not be empty");
    }

    // --- registry

    @Test
    void acceptsRegistryAddresses() {
        for (String url : List.of("docker.io", "127.0.0.1:5000", "http://localhost:5000", "https://ghcr.io/",
                "[::1]:5000")) {
            assertThat(valid(withTarget("images: [ { image: app } ]\nregistry: { url: \"" + url + "\" }\n"))
                    .target().registry().url()).isEqualTo(url);
        }
    }

    @Test
    void rejectsInvalidRegistries() {
        String expected = "expected host[:port], optionally after http:// or https://, e.g. docker.io or "
                + "127.0.0.1:5000";
        assertThat(problems(withTarget("""
                images: [ { image: app } ]
                registry: { username: u }
                """))).containsExactly("bp.yaml:5:13: target.registry.url: missing required field");
        assertThat(problems(withTarget("""
                images: [ { image: app } ]
                registry: { url: "oci://registry.example.com" }
                """))).containsExactly("bp.yaml:5:20: target.registry.url: scheme \"oci\" is not accepted; "
                + expected);
        assertThat(problems(withTarget("""
                images: [ { image: app } ]
                registry: { url: "https://registry.example.com/v2" }
                """))).containsExactly("bp.yaml:5:20: target.registry.url: a registry address has no path; "
                + expected);
        assertThat(problems(withTarget("""
                images: [ { image: app } ]
                registry: { url: "registry example", insecure: "yes", username: 1 }
                """))).containsExactly(
                "bp.yaml:5:20: target.registry.url: not a registry address; " + expected,
                "bp.yaml:5:50: target.registry.insecure: expected a boolean (true or false), got the string "
                        + "\"yes\"",
                "bp.yaml:5:67: target.registry.username: expected a string, got the integer 1; put the value in "
                        + "quotes so that it is read as text, exactly as written");
        assertThat(problems(withTarget("""
                images: [ { image: app } ]
                registry: { url: "localhost:99999" }
                """))).containsExactly("bp.yaml:5:20: target.registry.url: not a registry address; " + expected);
    }

    // --- build_args and labels

    @Test
    void rejectsBuildArgsAndLabelsThatAreNotMapsOfStrings() {
        assertThat(problems(withSource("path: /srv/app\n") + """
                build_args:
                  PYTHON: 3.10
                  "": x
                  A=B: x
                labels: [ a ]
                """)).containsExactly(
                "bp.yaml:7:11: build_args.PYTHON: expected a string, got the float 3.1; put the value in quotes so "
                        + "that it is read as text, exactly as written",
                "bp.yaml:8:3: build_args: names must not be empty",
                "bp.yaml:9:3: build_args.A=B: names must not contain \"=\"",
                "bp.yaml:10:9: labels: expected a map, got a list");
    }

    @Test
    void buildArgNamesAreArgNamesAndLabelKeysHaveNoBlanks() {
        assertThat(problems(withSource("path: /srv/app\n") + """
                build_args:
                  GOOD_1: x
                  "A;B": x
                  "1ST": x
                labels:
                  org.opencontainers.image.title: fine
                  "two words": x
                  "line\\nbreak": x
                """)).containsExactly(
                "bp.yaml:8:3: build_args.A;B: \"A;B\" is not a build argument name; expected letters, digits and "
                        + "'_', not starting with a digit",
                "bp.yaml:9:3: build_args.1ST: \"1ST\" is not a build argument name; expected letters, digits and "
                        + "'_', not starting with a digit",
                "bp.yaml:12:3: labels.two words: label keys must not contain spaces, line breaks or control characters",
                "bp.yaml:13:3: labels.line\\nbreak: label keys must not contain spaces, line breaks or control "
                        + "characters");
    }

    @Test
    void userNamesAndGitVersionsThatCanOnlyFailAreRefusedBeforeAnyWork() {
        assertThat(problems(withSource("""
                git_repo:
                  url: https://example.com/app.git
                  version: "main branch"
                  username: "a:b"
                """))).containsExactly(
                "bp.yaml:4:14: source.git_repo.version: not a branch, tag or commit name; expected no spaces, control "
                        + "characters, '~', '^', ':', '?', '*', '[', '\\' or '..', not starting with '-' or '/', and "
                        + "not ending with '/', '.' or '.lock'",
                "bp.yaml:5:15: source.git_repo.username: must not contain ':', line breaks or control characters");
        assertThat(problems(withTarget("""
                images: [ { image: app } ]
                registry: { url: 127.0.0.1:5000, username: "build\\ner", password: x }
                """))).containsExactly("bp.yaml:5:46: target.registry.username: must not contain ':', line breaks or "
                + "control characters");
        for (String fine : List.of("main", "v1.2.3", "feature/x-y_z", "HEAD", "0123abcd", "refs/tags/v1")) {
            valid(withSource("git_repo:\n  url: https://example.com/app.git\n  version: " + fine + "\n"));
        }
        for (String bad : List.of("a..b", "-x", "x.lock", "x/", "a~1", "a^", "x?", "@{-1}", "a\\\\b", "x\\by")) {
            assertThat(problems(withSource("git_repo:\n  url: https://example.com/app.git\n  version: \"" + bad
                    + "\"\n"))).as(bad).hasSize(1);
        }
    }

    @Test
    void rejectsAnEqualsSignInLabelNames() {
        assertThat(problems(withSource("path: /srv/app\n") + "labels: { a=b: c }\n"))
                .containsExactly("bp.yaml:6:11: labels.a=b: names must not contain \"=\"");
    }
}
