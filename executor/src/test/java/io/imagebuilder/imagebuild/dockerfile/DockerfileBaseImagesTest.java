package io.imagebuilder.imagebuild.dockerfile;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The base images a lock records: FROM words as BuildKit expands them, stages and scratch left out. */
class DockerfileBaseImagesTest {

    @Test
    void stagesBuiltOnEarlierStagesAndScratchAreNotBaseImages() throws Exception {
        Dockerfile d = Dockerfile.parse("""
                FROM golang:1.22 AS build
                RUN go build
                FROM scratch AS empty
                FROM BUILD
                FROM debian:12-slim
                FROM golang:1.22
                """);
        assertThat(d.baseImages(Map.of())).containsExactly("golang:1.22", "debian:12-slim");
    }

    @Test
    void variablesComeFromBuildArgumentsThenFromTheDefaultsBeforeTheFirstFrom() throws Exception {
        Dockerfile d = Dockerfile.parse("""
                ARG REGISTRY=registry.example.org TAG="3.19"
                ARG BASE
                FROM ${REGISTRY}/alpine:$TAG
                FROM $BASE
                ARG LATE=ignored
                """);
        assertThat(d.baseImages(Map.of())).containsExactly("registry.example.org/alpine:3.19");
        assertThat(d.baseImages(Map.of("TAG", "3.20", "BASE", "busybox:1.36", "UNDECLARED", "x")))
                .containsExactly("registry.example.org/alpine:3.20", "busybox:1.36");
    }

    @Test
    void aBuildArgumentReachesAFromOnlyWhenAnArgDeclaresIt() throws Exception {
        Dockerfile d = Dockerfile.parse("FROM alpine:${TAG}\n");
        assertThat(d.baseImages(Map.of("TAG", "3.20"))).containsExactly("alpine:");
    }

    @Test
    void pinningReplacesOnlyTheImageWordsOfBasesAndKeepsEverythingElse() throws Exception {
        Dockerfile d = Dockerfile.parse("""
                ARG BASE=debian:12
                # the builder
                FROM --platform=$BUILDPLATFORM golang:1.22 AS build
                FROM ${BASE}
                COPY --from=build /app /app
                FROM build
                """);
        Dockerfile pinned = d.withPinnedBases(Map.of(), Map.of("golang:1.22", "golang:1.22@sha256:" + "a".repeat(64),
                "debian:12", "debian:12@sha256:" + "b".repeat(64)));
        assertThat(pinned.text()).isEqualTo("""
                ARG BASE=debian:12
                # the builder
                FROM --platform=$BUILDPLATFORM golang:1.22@sha256:%s AS build
                FROM debian:12@sha256:%s
                COPY --from=build /app /app
                FROM build
                """.formatted("a".repeat(64), "b".repeat(64)));
        assertThat(d.withPinnedBases(Map.of(), Map.of()).text()).isEqualTo(d.text());
    }
}
