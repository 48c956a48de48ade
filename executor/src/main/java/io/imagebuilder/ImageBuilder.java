package io.imagebuilder;

import io.imagebuilder.plan.Plan;
import io.imagebuilder.plan.Planner;
import io.imagebuilder.tosca.ToscaLoader;
import io.imagebuilder.tosca.topology.Topology;

import java.nio.file.Path;
import java.util.List;

/** The one entry point the CLI and the REST API call. */
public final class ImageBuilder {

    private final Path workingDirectory;

    public ImageBuilder(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    /** Parses and checks a template with its inputs; throws InvalidInputException listing every problem. */
    public Topology validate(Path template, List<Path> inputFiles) {
        return new ToscaLoader(workingDirectory).load(template, inputFiles);
    }

    public Plan plan(Path template, List<Path> inputFiles) {
        return new Planner().deployPlan(validate(template, inputFiles));
    }
}
