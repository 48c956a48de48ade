package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import io.imagebuilder.imagebuild.steps.PushManifestListStep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the platforms of each multi-platform image, pushed by digest from whichever hosts built them, into one
 * manifest list under the image's reference; an image of one platform is the image itself.
 */
final class PushManifestListsStep {

    private PushManifestListsStep() {
    }

    /**
     * @param pushed every unit, pushed
     * @param docker any usable host's client, the lists being made in the registry from digests already there;
     *               null when no host is left
     * @return the list's digest by reference
     */
    static Map<String, String> run(List<BuildUnit> units, Map<BuildUnit, PushedUnit> pushed, DockerClient docker,
                                   boolean insecure, LineSink log) throws BuildException {
        Map<ImageSpec, List<BuildUnit>> byImage = new LinkedHashMap<>();
        units.forEach(u -> byImage.computeIfAbsent(u.image(), k -> new ArrayList<>()).add(u));
        Map<String, String> lists = new LinkedHashMap<>();
        for (List<BuildUnit> mine : byImage.values()) {
            if (mine.size() == 1) {
                BuildUnit u = mine.get(0);
                PushedUnit p = pushed.get(u);
                log.line("pushed " + u.reference() + "@" + p.digest() + " (" + p.host().platformOf(u.platform())
                        + ")");
                continue;
            }
            if (docker == null) throw new BuildException("no build host is left to push the manifest lists");
            List<String> digests = mine.stream().map(u -> pushed.get(u).digest()).toList();
            String reference = mine.get(0).reference();
            String list = PushManifestListStep.run(docker, reference, digests, insecure, log);
            lists.put(reference, list);
            log.line("pushed " + reference + "@" + list + " (manifest list of " + mine.size() + " platforms)");
        }
        return lists;
    }
}
