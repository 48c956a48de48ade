package io.imagebuilder.util;

/** This program's name and version, as its jar's manifest gives it. */
public final class ProductVersion {

    private ProductVersion() {
    }

    /** Such as "image-builder 0.1.0"; classes not run from the jar are a development build. */
    public static String text() {
        String version = ProductVersion.class.getPackage().getImplementationVersion();
        return "image-builder " + (version == null ? "(development build)" : version);
    }
}
