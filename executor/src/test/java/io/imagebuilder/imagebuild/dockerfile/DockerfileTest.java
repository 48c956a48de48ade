package io.imagebuilder.imagebuild.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class DockerfileTest {

    private static final String MULTI_STAGE = """
            # syntax=docker/dockerfile:1
            ARG GO=1.22
            ARG BASE="alpine:3.19" OTHER
            ARG GO
            FROM --platform=$BUILDPLATFORM golang:${GO} AS Build
            RUN go build -o /out/app .
            FROM build AS test
            RUN go test ./...
            FROM ${BASE}
            COPY --from=build /out/app /app
            """;

    @Test
    void readsStagesAndGlobalArgs() throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse(MULTI_STAGE);

        assertThat(dockerfile.stages()).containsExactly(
                new Stage(0, "golang:${GO}", "Build", "$BUILDPLATFORM", 5),
                new Stage(1, "build", "test", null, 7),
                new Stage(2, "${BASE}", null, null, 9));
        assertThat(dockerfile.globalArgs()).containsExactly("GO", "BASE", "OTHER");
        assertThat(dockerfile.text()).isEqualTo(MULTI_STAGE);
    }

    @Test
    void findsStagesByNameInAnyCase() throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse(MULTI_STAGE);

        assertThat(dockerfile.stage("BUILD")).map(Stage::index).contains(0);
        assertThat(dockerfile.stage("test")).map(Stage::index).contains(1);
        assertThat(dockerfile.stage("final")).isEmpty();
    }

    @Test
    void argsAfterTheFirstFromAreNotGlobal() throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse("ARG A\nFROM alpine\nARG B\nFROM alpine\nARG C\n");

        assertThat(dockerfile.globalArgs()).containsExactly("A");
    }

    @Test
    void quotedArgValuesDoNotSplitNames() throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse("ARG A=\"x y\" B='p q' C=a\\ b D\nFROM alpine\n");

        assertThat(dockerfile.globalArgs()).containsExactly("A", "B", "C", "D");
    }

    @Test
    void onbuildFromIsNotAStage() throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse("FROM alpine\nONBUILD FROM busybox\n");

        assertThat(dockerfile.stages()).extracting(Stage::image).containsExactly("alpine");
    }

    @Test
    void unknownInstructionsAreKeptAsWritten() throws DockerfileException {
        String text = "FROM alpine\nFROBNICATE everything\nRUN echo hi\n";

        assertThat(Dockerfile.parse(text).withBase(null, "alpine:3.20").text())
                .isEqualTo("FROM alpine:3.20\nFROBNICATE everything\nRUN echo hi\n");
    }

    @Test
    void keepsAByteOrderMark() throws DockerfileException {
        String text = "\uFEFF# escape=`\nFROM alpine `\n  AS base\n";
        Dockerfile dockerfile = Dockerfile.parse(text);

        assertThat(dockerfile.stages()).containsExactly(new Stage(0, "alpine", "base", null, 2));
        assertThat(dockerfile.text()).isEqualTo(text);
        assertThat(dockerfile.withBase(null, "alpine:3.20").text()).isEqualTo("\uFEFF# escape=`\nFROM alpine:3.20 `\n  AS base\n");
    }

    @Test
    void keepsMixedLineEndings() throws DockerfileException {
        String text = "# a\r\nFROM alpine\nRUN echo \\\r\n  hi\r\n";

        assertThat(Dockerfile.parse(text).withBase(null, "busybox").text())
                .isEqualTo("# a\r\nFROM busybox\nRUN echo \\\r\n  hi\r\n");
    }

    @Test
    void unterminatedHeredocIsReadAsOrdinaryLines() throws DockerfileException {
        String text = "FROM alpine AS one\nRUN cat <<EOF\nFROM busybox AS two\n";
        Dockerfile dockerfile = Dockerfile.parse(text);

        assertThat(dockerfile.stages()).extracting(Stage::name).containsExactly("one", "two");
        assertThat(dockerfile.text()).isEqualTo(text);
    }

    @Test
    void heredocsOnlyOpenInShellFormRunCopyAndAdd() throws DockerfileException {
        String text = """
                FROM alpine AS one
                ENV X=<<EOF
                RUN ["sh", "-c", "cat <<EOF"]
                FROM busybox AS two
                EOF
                """;

        assertThat(Dockerfile.parse(text).stages()).extracting(Stage::name).containsExactly("one", "two");
    }

    @Test
    void heredocAfterOnbuildIsSkipped() throws DockerfileException {
        String text = "FROM alpine\nONBUILD RUN <<EOF\nFROM busybox\nEOF\n";

        assertThat(Dockerfile.parse(text).stages()).hasSize(1);
    }

    @Test
    void severalHeredocsOnOneLineAreSkippedInOrder() throws DockerfileException {
        String text = "FROM alpine\nRUN <<A 3<<-\"B\" cat\nFROM one\nA\n\tFROM two\n\tB\nFROM three AS three\n";

        assertThat(Dockerfile.parse(text).stages()).extracting(Stage::image).containsExactly("alpine", "three");
    }

    @Test
    void editedDockerfileIsParsedAgain() throws DockerfileException {
        Dockerfile changed = Dockerfile.parse(MULTI_STAGE).withBase("build", "golang:1.21");

        assertThat(changed.stages().get(0)).isEqualTo(new Stage(0, "golang:1.21", "Build", "$BUILDPLATFORM", 5));
        assertThat(changed.stages().subList(1, 3)).isEqualTo(Dockerfile.parse(MULTI_STAGE).stages().subList(1, 3));
        assertThat(changed.withBase(null, "golang:1.22").text()).isEqualTo(MULTI_STAGE.replace("${GO}", "1.22"));
    }

    @Test
    void overridingTheSameStageTwiceKeepsTheLast() throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse("FROM python:3.8\n");

        assertThat(dockerfile.withBase(null, "a").withBase(null, "b").text()).isEqualTo("FROM b\n");
    }

    @Test
    void errorsTiedToALineSayWhichLine() {
        assertThatThrownBy(() -> Dockerfile.parse("\n\nRUN x\nFROM alpine\n"))
                .isInstanceOfSatisfying(DockerfileException.class, e -> assertThat(e.line()).hasValue(3));
        assertThatThrownBy(() -> Dockerfile.parse(""))
                .isInstanceOfSatisfying(DockerfileException.class, e -> assertThat(e.line()).isEmpty());
        assertThatThrownBy(() -> Dockerfile.parse("FROM alpine\n").withBase("x", "alpine"))
                .isInstanceOfSatisfying(DockerfileException.class, e -> assertThat(e.line()).isEmpty());
    }

    @Test
    void rejectsNulls() {
        assertThatThrownBy(() -> Dockerfile.parse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Dockerfile.parse("FROM alpine").withBase(null, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void listsAreImmutable() throws DockerfileException {
        Dockerfile dockerfile = Dockerfile.parse(MULTI_STAGE);

        assertThatThrownBy(() -> dockerfile.stages().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> dockerfile.globalArgs().add("X")).isInstanceOf(UnsupportedOperationException.class);
        List<Stage> stages = new java.util.ArrayList<>(dockerfile.stages());
        Dockerfile copy = new Dockerfile(dockerfile.text(), stages, dockerfile.globalArgs());
        stages.clear();
        assertThat(copy.stages()).hasSize(3);
    }
}
