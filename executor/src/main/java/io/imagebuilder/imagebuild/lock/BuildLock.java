package io.imagebuilder.imagebuild.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.imagebuilder.imagebuild.source.Material;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one build was made from ({@code image-builder.lock.json}). Nothing in it is secret: URLs are shown without
 * credentials, and secrets are named, never given.
 *
 * @param lockVersion the format's version, 1
 * @param executor this program's name and version
 * @param materials what the source was fetched from
 * @param buildArgs the build arguments given
 * @param mounted the ids of the build secrets RUN steps could mount (never their values; not named "secrets", a
 *     name whose values outputs hide)
 * @param units one per image variant and platform built
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildLock(int lockVersion, String executor, List<Material> materials, Map<String, String> buildArgs,
                        List<String> mounted, List<LockedUnit> units) {

    public static final String FILE_NAME = "image-builder.lock.json";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public BuildLock {
        materials = List.copyOf(materials);
        buildArgs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(buildArgs));
        mounted = List.copyOf(mounted);
        units = List.copyOf(units);
    }

    /** This lock with only the units of one image reference (the images of one layer). */
    public BuildLock only(String reference) {
        return new BuildLock(lockVersion, executor, materials, buildArgs, mounted,
                units.stream().filter(u -> reference.equals(u.reference())).toList());
    }

    /** The lock of a build made of parts (layers): every part's materials, once each, and units, in order. */
    public static BuildLock join(List<BuildLock> parts) {
        java.util.LinkedHashSet<Material> materials = new java.util.LinkedHashSet<>();
        List<LockedUnit> units = new java.util.ArrayList<>();
        for (BuildLock part : parts) {
            materials.addAll(part.materials());
            units.addAll(part.units());
        }
        BuildLock first = parts.get(0);
        return new BuildLock(VERSION, first.executor(), List.copyOf(materials), first.buildArgs(), first.mounted(),
                units);
    }

    /** As the image definition's {@code lock} attribute, and an API response, hold it. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toMap() {
        return JSON.convertValue(this, LinkedHashMap.class);
    }

    public static BuildLock fromMap(Map<?, ?> map) {
        return JSON.convertValue(map, BuildLock.class);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a lock is plain data", e);
        }
    }

    public void write(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, toJson());
        // a temporary file is private; a lock holds nothing secret and is meant to be shared
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a lock file; the message of the exception says what is wrong with it. */
    public static BuildLock read(Path file) throws IOException {
        BuildLock lock;
        try {
            lock = JSON.readValue(file.toFile(), BuildLock.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            String message = e.getOriginalMessage();
            int source = message.indexOf("[Source:"); // Jackson's description of its input, not for users
            if (source >= 0) {
                int open = message.lastIndexOf(" (", source);
                message = message.substring(0, open >= 0 ? open : source).strip();
            }
            throw new IOException(file + (e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr() + ":"
                    + e.getLocation().getColumnNr()) + ": not a lock file: " + message);
        }
        if (lock.lockVersion() != VERSION) {
            throw new IOException(file + ": lock_version " + lock.lockVersion() + " is not one this version reads ("
                    + VERSION + ")");
        }
        return lock;
    }

    /**
     * One image variant for one platform: its reference, the digest of the Dockerfile it was built from, its base
     * images, and the host and engine that built it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LockedUnit(String reference, String platform, String dockerfile, List<LockedBase> bases,
                             String host, String engine) {

        public LockedUnit {
            bases = bases == null ? List.of() : List.copyOf(bases);
        }
    }

    /**
     * A base image as its FROM names it, the digest of its manifest for the unit's platform, and the digest of the
     * list that was chosen from ({@code index}, null for an image of one platform). {@code problem} says why the
     * digest is missing when the registry could not be asked.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LockedBase(String image, String digest, String index, String problem) {
    }
}
