package io.imagebuilder.build.params;

/** A target platform such as linux/arm64 or linux/arm/v7. */
public record Platform(String os, String architecture, String variant) {

    /** Null when {@code text} is not {@code os/arch[/variant]} in lower-case letters and digits. */
    public static Platform parse(String text) {
        if (text == null || !text.matches("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?")) return null;
        String[] parts = text.split("/");
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
