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
}
