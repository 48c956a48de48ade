package io.imagebuilder.imagebuild.dockerfile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DockerfileRunEditsTest {

    @Test
    void addsAFlagToEveryRunInAnyFormAndCaseKeepingEverythingElse() throws DockerfileException {
        String text = """
                FROM alpine AS base
                # RUN in a comment stays
                RUN apk add curl
                run --network=none ["/bin/sh", "-c", "true"]
                  RUN echo a \\
                    && echo b
                ONBUILD RUN echo later
                COPY run.sh /
                """;
        assertThat(Dockerfile.parse(text).withRunFlag("--mount=type=secret,id=x").text()).isEqualTo("""
                FROM alpine AS base
                # RUN in a comment stays
                RUN --mount=type=secret,id=x apk add curl
                run --mount=type=secret,id=x --network=none ["/bin/sh", "-c", "true"]
                  RUN --mount=type=secret,id=x echo a \\
                    && echo b
                ONBUILD RUN echo later
                COPY run.sh /
                """);
    }

    @Test
    void addsLinesAfterEveryFromIncludingContinuedOnes() throws DockerfileException {
        String text = "ARG BASE=alpine\r\nFROM ${BASE} \\\r\n  AS build\r\nRUN make\r\nFROM scratch\r\nCOPY --from=build /a /a";
        Dockerfile edited = Dockerfile.parse(text).withLinesAfterEachFrom(List.of("ARG A=1", "ARG B=2"));
        assertThat(edited.text()).isEqualTo("ARG BASE=alpine\r\nFROM ${BASE} \\\r\n  AS build\nARG A=1\nARG B=2\r\n"
                + "RUN make\r\nFROM scratch\nARG A=1\nARG B=2\r\nCOPY --from=build /a /a");
        assertThat(edited.stages()).extracting(Stage::image).containsExactly("${BASE}", "scratch");
        assertThat(edited.globalArgs()).containsExactly("BASE");
    }

    @Test
    void leavesHeredocBodiesAlone() throws DockerfileException {
        String text = """
                FROM debian
                RUN <<EOF
                RUN is not an instruction here
                EOF
                """;
        assertThat(Dockerfile.parse(text).withRunFlag("--mount=type=secret,id=x").text()).isEqualTo("""
                FROM debian
                RUN --mount=type=secret,id=x <<EOF
                RUN is not an instruction here
                EOF
                """);
    }
}
