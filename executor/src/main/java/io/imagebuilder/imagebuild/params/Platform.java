package io.imagebuilder.imagebuild.params;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A target platform such as linux/arm64 or linux/arm/v7. */
public record Platform(String os, String architecture, String variant) {

    /** The Linux architectures of the OCI image index (Go's names), with the variants each may carry. */
    private static final Map<String, Set<String>> ARCHITECTURES = Map.ofEntries(
            Map.entry("386", Set.of()),
            Map.entry("amd64", Set.of("v1", "v2", "v3", "v4")),
            Map.entry("arm", Set.of("v5", "v6", "v7", "v8")),
            Map.entry("arm64", Set.of("v8", "v8.0", "v8.1", "v8.2", "v8.3", "v8.4", "v8.5", "v8.6", "v8.7", "v8.8",
                    "v8.9", "v9", "v9.0", "v9.1", "v9.2", "v9.3", "v9.4", "v9.5")),
            Map.entry("loong64", Set.of()),
            Map.entry("mips", Set.of()),
            Map.entry("mipsle", Set.of()),
            Map.entry("mips64", Set.of()),
            Map.entry("mips64le", Set.of()),
            Map.entry("ppc64", Set.of()),
            Map.entry("ppc64le", Set.of()),
            Map.entry("riscv64", Set.of()),
            Map.entry("s390x", Set.of()));

    /** Other names of architectures that Docker accepts, as the platforms they mean. */
    private static final Map<String, String> ALIASES = Map.of(
            "x86_64", "amd64", "x86-64", "amd64", "aarch64", "arm64", "i386", "386", "i686", "386",
            "armhf", "arm/v7", "armel", "arm/v6");

    /** Null when {@code text} is not {@code os/arch[/variant]} in lower-case letters and digits. */
    public static Platform parse(String text) {
        if (text == null || !text.matches("[a-z0-9]+/[a-z0-9_-]+(/[a-z0-9.]+)?")) return null;
        String[] parts = text.split("/");
        String variant = parts.length == 3 ? parts[2] : null;
        String alias = ALIASES.get(parts[1]);
        if (alias == null) return new Platform(parts[0], parts[1], variant);
        String[] meant = alias.split("/");
        return new Platform(parts[0], meant[0], variant != null ? variant : meant.length == 2 ? meant[1] : null);
    }

    /** Null when the platform is one a Linux build host can build; otherwise what is wrong with it. */
    public String unsupported() {
        if (!os.equals("linux")) {
            return "the operating system \"" + os + "\" cannot be built: build hosts are Linux engines; expected "
                    + "linux/ARCH";
        }
        Set<String> variants = ARCHITECTURES.get(architecture);
        if (variants == null) {
            return "\"" + architecture + "\" is not a known architecture; expected one of " + String.join(", ",
                    List.copyOf(new java.util.TreeSet<>(ARCHITECTURES.keySet())));
        }
        if (variant != null && !variants.contains(variant)) {
            return variants.isEmpty() ? "the architecture " + architecture + " has no variants"
                    : "\"" + variant + "\" is not a variant of " + architecture + "; expected one of "
                    + String.join(", ", List.copyOf(new java.util.TreeSet<>(variants)));
        }
        return null;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
