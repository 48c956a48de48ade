package io.imagebuilder.imagebuild.params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes {@link BuildParams} back as SODALITE's build_params document, fields in SODALITE's order. */
final class PlainForm {

    private PlainForm() {
    }

    static Map<String, Object> of(BuildParams params) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (params.source() instanceof Source.Layers layers) {
            out.put("layers", layers(layers));
        } else {
            out.put("source", source(params.source()));
        }
        out.put("target", target(params.target()));
        if (!params.buildArgs().isEmpty()) out.put("build_args", new LinkedHashMap<>(params.buildArgs()));
        if (!params.labels().isEmpty()) out.put("labels", new LinkedHashMap<>(params.labels()));
        if (!params.secrets().isEmpty()) {
            Map<String, Object> secrets = new LinkedHashMap<>();
            for (BuildSecret s : params.secrets()) {
                secrets.put(s.id(), Map.of(s.from().field(), s.value() != null ? s.value().value() : s.reference()));
            }
            out.put("secrets", secrets);
        }
        put(out, "proxy_ca", params.proxyCa());
        if (params.cache() != null) {
            Map<String, Object> cache = new LinkedHashMap<>();
            if (!params.cache().from().isEmpty()) cache.put("from", params.cache().from());
            put(cache, "to", params.cache().to());
            out.put("cache", cache);
        }
        return out;
    }

    private static Map<String, Object> source(Source source) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (source instanceof Source.Git g) {
            Map<String, Object> git = new LinkedHashMap<>();
            put(git, "url", g.url());
            put(git, "version", g.version());
            credentials(git, g.credentials());
            put(git, "workdir", g.workdir());
            put(git, "dockerfile", g.dockerfile());
            out.put("git_repo", git);
        } else if (source instanceof Source.DockerfileUrl d) {
            Map<String, Object> dockerfile = new LinkedHashMap<>();
            put(dockerfile, "url", d.url());
            credentials(dockerfile, d.credentials());
            out.put("dockerfile", dockerfile);
            if (d.context() != null) out.put("build_context", context(d.context()));
        } else if (source instanceof Source.Tar t) {
            Map<String, Object> tar = new LinkedHashMap<>();
            put(tar, "url", t.url());
            put(tar, "path", t.path());
            credentials(tar, t.credentials());
            out.put("tar", tar);
        } else if (source instanceof Source.LocalPath p) {
            out.put("path", p.path());
        } else if (source instanceof Source.ImageEdit e) {
            imageEdit(out, e);
        }
        return out;
    }

    private static List<Object> layers(Source.Layers layers) {
        List<Object> out = new ArrayList<>();
        for (Source.Layer layer : layers.layers()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", layer.name());
            l.put("image", layer.image());
            l.put("tag", layer.tag());
            if (layer.ansible() != null) {
                Map<String, Object> ansible = new LinkedHashMap<>();
                ansible.put("parent", layer.ansible().parent());
                ansible.put("playbook", layer.ansible().playbook());
                if (!layer.ansible().groups().isEmpty()) ansible.put("groups", layer.ansible().groups());
                l.put("ansible", ansible);
                out.add(l);
                continue;
            }
            Source.PackageLayer p = layer.packages();
            Map<String, Object> base = new LinkedHashMap<>();
            base.put("parent", p.parent());
            put(base, "package_manager", p.manager());
            if (!p.repositories().isEmpty()) base.put("repositories", p.repositories());
            if (!p.packages().isEmpty()) base.put("packages", p.packages());
            if (!p.groups().isEmpty()) base.put("groups", p.groups());
            if (!p.commands().isEmpty()) base.put("commands", p.commands());
            l.put("base", base);
            out.add(l);
        }
        return out;
    }

    private static void imageEdit(Map<String, Object> out, Source.ImageEdit e) {
        out.put("image", e.image());
        if (!e.add().isEmpty()) {
            List<Object> add = new ArrayList<>();
            for (Source.AddedFile f : e.add()) {
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("src", f.src());
                file.put("dest", f.dest());
                if (f.mode() != null) file.put("mode", String.format("%04o", f.mode()));
                add.add(file);
            }
            out.put("add", add);
        }
        Source.ImageConfig c = e.config();
        Map<String, Object> config = new LinkedHashMap<>();
        if (!c.env().isEmpty()) config.put("env", new LinkedHashMap<>(c.env()));
        if (c.entrypoint() != null) config.put("entrypoint", c.entrypoint());
        if (c.cmd() != null) config.put("cmd", c.cmd());
        if (!c.labels().isEmpty()) config.put("labels", new LinkedHashMap<>(c.labels()));
        put(config, "user", c.user());
        put(config, "workdir", c.workdir());
        if (!config.isEmpty()) out.put("config", config);
    }

    private static Map<String, Object> context(Source.BuildContext c) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "url", c.url());
        put(out, "subdir", c.subdir());
        put(out, "path", c.path());
        credentials(out, c.credentials());
        return out;
    }

    private static Map<String, Object> target(Target target) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> images = new ArrayList<>();
        for (ImageSpec spec : target.images()) {
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("image", spec.image());
            image.put("tag", spec.tag());
            put(image, "base", spec.base());
            if (!spec.platforms().isEmpty()) {
                image.put("platforms", spec.platforms().stream().map(Platform::toString).toList());
            }
            images.add(image);
        }
        out.put("images", images);
        if (target.needsNoRegistry()) out.put("publish", target.publish().name().toLowerCase(java.util.Locale.ROOT));
        if (target.s3() != null) {
            Map<String, Object> s3 = new LinkedHashMap<>();
            s3.put("bucket", target.s3().bucket());
            if (!target.s3().prefix().isEmpty()) s3.put("prefix", target.s3().prefix());
            put(s3, "endpoint", target.s3().endpoint());
            s3.put("region", target.s3().region());
            put(s3, "credentials_file", target.s3().credentialsFile());
            out.put("s3", s3);
        }
        RegistrySpec registry = target.registry();
        if (registry != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("url", registry.url());
            credentials(r, registry.credentials());
            if (registry.insecure()) r.put("insecure", true);
            out.put("registry", r);
        }
        return out;
    }

    private static void credentials(Map<String, Object> out, Credentials credentials) {
        put(out, "username", credentials.username());
        if (credentials.password() != null) out.put("password", credentials.password().value());
    }

    private static void put(Map<String, Object> out, String key, String value) {
        if (value != null) out.put(key, value);
    }
}
