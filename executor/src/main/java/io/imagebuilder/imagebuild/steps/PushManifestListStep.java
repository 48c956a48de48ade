package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.outcome.BuildException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Joins per-platform images, already pushed by digest, into one manifest list under the final reference.
 * The docker client reads each image's platform from the registry and writes the list with the same credentials.
 */
public final class PushManifestListStep {

    private static final Pattern DIGEST = Pattern.compile("(sha256:[0-9a-f]{64})");

    private PushManifestListStep() {
    }

    /** @param digests per-platform image digests in the repository of {@code reference} */
    public static String run(DockerClient docker, String reference, List<String> digests, boolean insecure,
                             LineSink log) throws BuildException {
        String repository = reference.substring(0, reference.lastIndexOf(':'));
        List<String> create = new ArrayList<>(List.of("manifest", "create"));
        if (insecure) create.add("--insecure");
        create.add("--amend");
        create.add(reference);
        for (String d : digests) create.add(repository + "@" + d);
        String prefix = "[" + reference + "] ";
        docker.require("creating the manifest list " + reference, create, null, line -> log.line(prefix + line));
        List<String> push = new ArrayList<>(List.of("manifest", "push", "--purge"));
        if (insecure) push.add("--insecure");
        push.add(reference);
        String[] digest = new String[1];
        docker.require("pushing the manifest list " + reference, push, null, line -> {
            log.line(prefix + line);
            Matcher m = DIGEST.matcher(line);
            if (m.find()) digest[0] = m.group(1);
        });
        if (digest[0] == null) {
            throw new BuildException("pushing the manifest list " + reference + ": the registry sent no digest");
        }
        return digest[0];
    }
}
