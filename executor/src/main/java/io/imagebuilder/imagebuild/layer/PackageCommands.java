package io.imagebuilder.imagebuild.layer;

import io.imagebuilder.imagebuild.params.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * The shell commands of a package layer's install step, per package manager. Every name, repository line and URL
 * is a single-quoted word.
 */
final class PackageCommands {

    private static final String APT_LOCAL = "/etc/apt/sources.list.d/image-builder-local.list";
    private static final String APT_REMOTE = "/etc/apt/sources.list.d/image-builder.list";

    private PackageCommands() {
    }

    /**
     * @param local mount points of local flat repositories
     * @param remote repositories as the manager names them: sources lines for apt, base URLs for dnf and zypper
     */
    static List<String> of(Source.PackageLayer layer, List<String> local, List<String> remote) {
        return switch (layer.manager()) {
            case "apt" -> apt(layer, local, remote);
            case "dnf" -> dnf(layer, local, remote);
            default -> zypper(layer, local, remote);
        };
    }

    private static List<String> apt(Source.PackageLayer layer, List<String> local, List<String> remote) {
        List<String> out = new ArrayList<>();
        if (!local.isEmpty()) {
            out.add("printf '%s\\n' " + String.join(" ", local.stream()
                    .map(m -> quote("deb [trusted=yes] file:" + m + " ./")).toList()) + " > " + APT_LOCAL);
        }
        if (!remote.isEmpty()) {
            out.add("printf '%s\\n' " + String.join(" ", remote.stream().map(PackageCommands::quote).toList()) + " > "
                    + APT_REMOTE);
        }
        out.add("apt-get update");
        List<String> install = new ArrayList<>(layer.packages());
        install.addAll(layer.groups()); // apt's groups are metapackages (task-*), installed as packages are
        if (!install.isEmpty()) {
            out.add("DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends " + words(install));
        }
        if (!local.isEmpty()) out.add("rm -f " + APT_LOCAL);
        out.add("apt-get clean");
        out.add("rm -rf /var/lib/apt/lists/*");
        return out;
    }

    private static List<String> dnf(Source.PackageLayer layer, List<String> local, List<String> remote) {
        List<String> out = new ArrayList<>();
        List<String> repos = new ArrayList<>();
        local.forEach(m -> repos.add("file://" + m));
        repos.addAll(remote);
        for (int i = 0; i < repos.size(); i++) {
            out.add("printf '%s\\n' " + quote("[image-builder-" + i + "]") + " " + quote("name=image-builder-" + i)
                    + " " + quote("baseurl=" + repos.get(i)) + " 'gpgcheck=0' > /etc/yum.repos.d/image-builder-" + i
                    + ".repo");
        }
        if (!layer.packages().isEmpty()) {
            out.add("dnf -y install --setopt=install_weak_deps=False " + words(layer.packages()));
        }
        for (String group : layer.groups()) out.add("dnf -y group install " + quote(group));
        for (int i = 0; i < local.size(); i++) out.add("rm -f /etc/yum.repos.d/image-builder-" + i + ".repo");
        out.add("dnf clean all");
        return out;
    }

    private static List<String> zypper(Source.PackageLayer layer, List<String> local, List<String> remote) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < local.size(); i++) {
            out.add("zypper -n addrepo --no-gpgcheck " + quote("dir://" + local.get(i)) + " image-builder-local-" + i);
        }
        for (int i = 0; i < remote.size(); i++) {
            out.add("zypper -n addrepo " + quote(remote.get(i)) + " image-builder-" + i);
        }
        out.add("zypper -n --gpg-auto-import-keys refresh");
        if (!layer.packages().isEmpty()) {
            out.add("zypper -n install --no-recommends " + words(layer.packages()));
        }
        for (String group : layer.groups()) out.add("zypper -n install -t pattern " + quote(group));
        for (int i = 0; i < local.size(); i++) out.add("zypper -n removerepo image-builder-local-" + i);
        out.add("zypper -n clean --all");
        return out;
    }

    private static String words(List<String> names) {
        return String.join(" ", names.stream().map(PackageCommands::quote).toList());
    }

    /** A single-quoted shell word. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
