package io.imagebuilder.imagebuild.edit;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.outcome.PushedImage;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.registry.RegistryClient;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.params.Source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Edits one image without a Docker engine: pulls the base's manifests and configuration (its layers only when the
 * target registry lacks them), adds the files as one layer, changes the configuration, and pushes, for every platform
 * the base has (or those the image names). Done with jib-core, which speaks the registry API itself.
 */
public final class EditImageStep {

    private static final String SEND_CREDENTIALS_OVER_HTTP = "sendCredentialsOverHttp";

    private final LineSink log;
    private final Path cache;

    /** @param cache where jib keeps base layers and the new layer between runs */
    public EditImageStep(LineSink log, Path cache) {
        this.log = log;
        this.cache = cache;
    }

    /** @return one pushed image per platform, joined by a manifest list when there are several */
    public List<PushedImage> run(Source.ImageEdit edit, ImageSpec image, String target, RegistrySpec registry)
            throws BuildException {
        String prefix = "[" + image.reference() + "] ";
        String baseName = image.base() != null ? image.base() : edit.image();
        try {
            ImageReference base = ImageReference.parse(baseName);
            ImageReference to = ImageReference.parse(target);
            Credentials baseCredentials = base.getRegistry().equals(registry.host()) ? registry.credentials()
                    : Credentials.NONE;
            List<String> platforms = platforms(image, base, baseCredentials, registry);
            log.line(prefix + "editing " + baseName + " for " + String.join(", ", platforms) + ", without an engine");

            JibContainerBuilder builder = Jib.from(withCredentials(RegistryImage.named(base), baseCredentials));
            Set<com.google.cloud.tools.jib.api.buildplan.Platform> jib = new LinkedHashSet<>();
            for (String p : platforms) {
                String[] osArch = p.split("/");
                jib.add(new com.google.cloud.tools.jib.api.buildplan.Platform(osArch[1], osArch[0]));
            }
            builder.setPlatforms(jib);
            if (!edit.add().isEmpty()) builder.addFileEntriesLayer(layer(edit.add()));
            configure(builder, edit.config());

            boolean insecure = plainHttp(registry, to.getRegistry()) || plainHttp(registry, base.getRegistry());
            Containerizer containerizer = Containerizer.to(withCredentials(RegistryImage.named(to),
                            registry.credentials()))
                    .setAllowInsecureRegistries(insecure)
                    .setBaseImageLayersCache(cache.resolve("base"))
                    .setApplicationLayersCache(cache.resolve("application"))
                    .setToolName("image-builder")
                    .addEventHandler(LogEvent.class, e -> {
                        if (e.getLevel().compareTo(LogEvent.Level.LIFECYCLE) <= 0) log.line(prefix + e.getMessage());
                    });
            if (insecure) {
                // as docker does for such registries; jib reads this switch, process-wide, on every request, and
                // uses plain HTTP only for containerizers that allow insecure registries
                System.setProperty(SEND_CREDENTIALS_OVER_HTTP, "true");
            }
            JibContainer pushed = builder.containerize(containerizer);
            String digest = pushed.getDigest().toString();
            log.line(prefix + "pushed " + target + "@" + digest);
            if (platforms.size() == 1) return List.of(new PushedImage(target, digest, platforms.get(0), null, null));
            Map<String, String> each = new RegistryClient(registry.credentials(),
                    plainHttp(registry, to.getRegistry())).platforms(to);
            List<PushedImage> out = new ArrayList<>();
            each.forEach((platform, d) -> out.add(new PushedImage(target, d, platform, digest, null)));
            return out;
        } catch (InvalidImageReferenceException e) {
            throw new BuildException("editing " + image.reference() + ": invalid image reference " + e.getMessage());
        } catch (RegistryException | CacheDirectoryCreationException e) {
            throw new BuildException("editing " + image.reference() + " failed: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BuildException("editing " + image.reference() + " failed: " + cause.getMessage(), e);
        } catch (IOException e) {
            throw new BuildException("editing " + image.reference() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("editing " + image.reference() + ": interrupted");
        }
    }

    /**
     * The platforms the image names, else every platform of the base. jib-core picks a platform by OS and
     * architecture alone, so a base listing one architecture with several variants cannot be kept whole.
     */
    private static List<String> platforms(ImageSpec image, ImageReference base, Credentials credentials,
                                          RegistrySpec registry) throws IOException, InterruptedException,
            BuildException {
        List<String> platforms = !image.platforms().isEmpty()
                ? image.platforms().stream().map(Platform::toString).toList()
                : new ArrayList<>(new RegistryClient(credentials, plainHttp(registry, base.getRegistry()))
                .platforms(base).keySet());
        Set<String> osArch = new LinkedHashSet<>();
        for (String p : platforms) {
            Platform parsed = Platform.parse(p);
            if (!osArch.add(parsed.os() + "/" + parsed.architecture())) {
                throw new BuildException("editing " + image.reference() + ": " + parsed.os() + "/"
                        + parsed.architecture() + " comes in several variants, which an edit without an engine "
                        + "cannot tell apart; name the image's platforms");
            }
        }
        return List.copyOf(osArch);
    }

    private static FileEntriesLayer layer(List<Source.AddedFile> files) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("added files");
        for (Source.AddedFile f : files) {
            Path src = Path.of(f.src()).toAbsolutePath().normalize();
            AbsoluteUnixPath dest = AbsoluteUnixPath.get(f.dest());
            if (Files.isDirectory(src)) {
                try (Stream<Path> walk = Files.walk(src)) {
                    for (Path p : walk.sorted().toList()) {
                        if (p.equals(src)) continue;
                        layer.addEntry(p, dest.resolve(src.relativize(p).toString()), permissions(p, f.mode()));
                    }
                }
            } else {
                layer.addEntry(src, dest, permissions(src, f.mode()));
            }
        }
        return layer.build();
    }

    /** The given mode for files, else the file's own (directories keep theirs either way). */
    private static FilePermissions permissions(Path p, Integer mode) throws IOException {
        if (mode != null && !Files.isDirectory(p)) return FilePermissions.fromOctalString(
                String.format("%03o", mode));
        return FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(p));
    }

    private static void configure(JibContainerBuilder builder, Source.ImageConfig config) {
        config.env().forEach(builder::addEnvironmentVariable);
        config.labels().forEach(builder::addLabel);
        if (config.entrypoint() != null) builder.setEntrypoint(config.entrypoint());
        if (config.cmd() != null) builder.setProgramArguments(config.cmd());
        if (config.user() != null) builder.setUser(config.user());
        if (config.workdir() != null) builder.setWorkingDirectory(AbsoluteUnixPath.get(config.workdir()));
    }

    private static RegistryImage withCredentials(RegistryImage image, Credentials credentials) {
        return credentials.password() == null ? image
                : image.addCredential(credentials.username(), credentials.password().value());
    }

    private static boolean plainHttp(RegistrySpec registry, String host) {
        return RegistryClient.plainHttp(registry, host);
    }
}
