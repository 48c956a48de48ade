package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.outcome.BuildException;

import java.util.ArrayList;
import java.util.List;

/** Removes image tags a build left on the build host; tags already gone are not an error. */
public final class RemoveImagesStep {

    private RemoveImagesStep() {
    }

    public static void run(DockerClient docker, List<String> tags, LineSink log) throws BuildException {
        if (tags.isEmpty()) return;
        List<String> args = new ArrayList<>(List.of("image", "rm", "--force"));
        args.addAll(tags);
        List<String> output = new ArrayList<>();
        var r = docker.run(args, null, output::add, output::add, null);
        output.stream().filter(l -> !l.contains("No such image")).forEach(log::line);
        if (!r.succeeded() && output.stream().anyMatch(l -> !l.contains("No such image") && l.startsWith("Error"))) {
            throw new BuildException("removing images from the build host failed: " + String.join("; ", output));
        }
    }
}
