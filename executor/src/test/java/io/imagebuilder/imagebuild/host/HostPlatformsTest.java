package io.imagebuilder.imagebuild.host;

import io.imagebuilder.imagebuild.params.Platform;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostPlatformsTest {

    private static Platform p(String s) {
        return Platform.parse(s);
    }

    @Test
    void declaredAndEnginePlatformsAreNativeAndQemuHandlersAddEmulatedOnes() {
        HostPlatforms h = HostPlatforms.of(List.of(p("linux/arm/v7")), p("linux/amd64"),
                List.of("status", "register", "qemu-aarch64", "python3.11"));
        assertThat(h.isNative(p("linux/amd64"))).isTrue();
        assertThat(h.isNative(p("linux/arm/v7"))).isTrue();
        assertThat(h.isNative(p("linux/arm64"))).isFalse();
        assertThat(h.canBuild(p("linux/arm64"))).isTrue();
        assertThat(h.canBuild(p("linux/s390x"))).isFalse();
        assertThat(h.describe()).isEqualTo("linux/386, linux/amd64, linux/arm/v7; emulates linux/arm64");
        assertThat(h.isNative(p("linux/386"))).as("an amd64 kernel runs 386 programs").isTrue();
    }

    @Test
    void arm64IsTheSamePlatformAsArm64V8ButArmVariantsDiffer() {
        HostPlatforms h = HostPlatforms.of(List.of(p("linux/arm64/v8"), p("linux/arm/v6")), null, List.of());
        assertThat(h.isNative(p("linux/arm64"))).isTrue();
        assertThat(h.isNative(p("linux/arm/v7"))).isFalse();
        assertThat(h.isNative(p("linux/arm/v6"))).isTrue();
        assertThat(h.canBuild(p("windows/amd64"))).isFalse();
        assertThat(h.isNative(p("linux/386"))).isFalse();
    }
}
