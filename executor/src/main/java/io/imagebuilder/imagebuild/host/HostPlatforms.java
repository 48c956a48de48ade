package io.imagebuilder.imagebuild.host;

import io.imagebuilder.imagebuild.params.Platform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one build host can build: natively (the platforms it declares and the engine's own) and by emulation
 * (the platforms whose qemu handler is registered with the host kernel's binfmt_misc).
 */
public record HostPlatforms(Set<Platform> nativePlatforms, Set<Platform> emulated) {

    /** qemu-user-static's binfmt handler names and the platforms they run. */
    private static final Map<String, List<String>> QEMU = Map.ofEntries(
            Map.entry("qemu-aarch64", List.of("linux/arm64")),
            Map.entry("qemu-arm", List.of("linux/arm/v7", "linux/arm/v6")),
            Map.entry("qemu-x86_64", List.of("linux/amd64")),
            Map.entry("qemu-i386", List.of("linux/386")),
            Map.entry("qemu-ppc64le", List.of("linux/ppc64le")),
            Map.entry("qemu-s390x", List.of("linux/s390x")),
            Map.entry("qemu-riscv64", List.of("linux/riscv64")),
            Map.entry("qemu-mips64el", List.of("linux/mips64le")),
            Map.entry("qemu-mips64", List.of("linux/mips64")),
            Map.entry("qemu-mipsel", List.of("linux/mipsle")),
            Map.entry("qemu-mips", List.of("linux/mips")),
            Map.entry("qemu-ppc64", List.of("linux/ppc64")),
            Map.entry("qemu-loongarch64", List.of("linux/loong64")));

    /** An amd64 kernel runs 386 programs itself (BuildKit counts linux/386 among an amd64 worker's platforms). */
    private static final Platform AMD64 = new Platform("linux", "amd64", null);
    private static final Platform I386 = new Platform("linux", "386", null);

    public HostPlatforms {
        nativePlatforms = Set.copyOf(new LinkedHashSet<>(nativePlatforms));
        emulated = Set.copyOf(emulated);
    }

    public static HostPlatforms of(List<Platform> declared, Platform engine, List<String> binfmtHandlers) {
        Set<Platform> natives = new LinkedHashSet<>(declared);
        if (engine != null) natives.add(engine);
        if (natives.stream().anyMatch(p -> same(p, AMD64))) natives.add(I386);
        Set<Platform> emulated = new LinkedHashSet<>();
        for (String handler : binfmtHandlers) {
            for (String p : QEMU.getOrDefault(handler, List.of())) emulated.add(Platform.parse(p));
        }
        return new HostPlatforms(natives, emulated);
    }

    public boolean isNative(Platform p) {
        return nativePlatforms.stream().anyMatch(n -> same(n, p));
    }

    public boolean canBuild(Platform p) {
        return isNative(p) || emulated.stream().anyMatch(e -> same(e, p));
    }

    /** arm64 and arm64/v8 are one platform; otherwise os, architecture and variant must agree. */
    static boolean same(Platform a, Platform b) {
        if (!a.os().equals(b.os()) || !a.architecture().equals(b.architecture())) return false;
        return variant(a).equals(variant(b));
    }

    private static String variant(Platform p) {
        if (p.variant() != null) return p.variant();
        return p.architecture().equals("arm64") ? "v8" : p.architecture().equals("arm") ? "v7" : "";
    }

    /** e.g. "linux/amd64; emulates linux/arm64, linux/arm/v7". */
    public String describe() {
        List<String> natives = new ArrayList<>(nativePlatforms.stream().map(Platform::toString).sorted().toList());
        List<String> others = emulated.stream().filter(e -> !isNative(e)).map(Platform::toString).sorted().toList();
        return String.join(", ", natives) + (others.isEmpty() ? "" : "; emulates " + String.join(", ", others));
    }
}
