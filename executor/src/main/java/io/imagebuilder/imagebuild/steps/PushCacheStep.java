package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.outcome.BuildException;

import java.util.List;

/**
 * Pushes a built unit under its cache reference (the image carries BuildKit's inline cache), so that a later build,
 * on any host, can reuse its layers. A cache is only a shortcut: when the push fails, the build says so and goes on.
 */
public final class PushCacheStep {

    private PushCacheStep() {
    }

    public static void run(DockerClient docker, BuildUnit unit, LineSink log) {
        String to = unit.cache().to();
        if (to == null || to.equals(unit.reference())) return; // the pushed image is the cache already
        String prefix = "[" + unit.label() + "] ";
        LineSink out = line -> log.line(prefix + line);
        try {
            docker.require("tagging the cache " + to, List.of("tag", unit.localTag(), to), null, out);
            docker.require("pushing the cache " + to, List.of("push", to), null, out);
            log.line(prefix + "cache pushed to " + to);
        } catch (BuildException e) {
            log.line(prefix + "warning: the cache was not pushed: " + e.getMessage());
        }
        try {
            // only the tag goes; the image stays under the unit's own tag, which undeploy removes
            docker.run(List.of("image", "rm", to), null, line -> { }, line -> { }, null);
        } catch (BuildException e) {
            log.line(prefix + "warning: the tag " + to + " was left on the build host: " + e.getMessage());
        }
    }
}
