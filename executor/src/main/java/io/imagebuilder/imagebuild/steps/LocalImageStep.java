package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.outcome.BuildException;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a built unit on its engine (target.publish: local) and returns its image id, which stands for the digest
 * a push would have given: the engine has no registry digest for an image that was never pushed.
 */
public final class LocalImageStep {

    private LocalImageStep() {
    }

    public static String run(DockerClient docker, BuildUnit unit, LineSink log) throws BuildException {
        List<String> out = new ArrayList<>();
        docker.require("inspecting " + unit.localTag(), List.of("image", "inspect", "--format", "{{.Id}}",
                unit.localTag()), null, out::add);
        String id = out.stream().filter(l -> l.startsWith("sha256:")).findFirst().orElseThrow(() ->
                new BuildException("inspecting " + unit.localTag() + ": the engine named no image id"));
        log.line("[" + unit.label() + "] kept on the build host as " + unit.localTag() + " (" + id + ")");
        return id;
    }
}
