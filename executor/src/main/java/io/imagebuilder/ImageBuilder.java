package io.imagebuilder;

import io.imagebuilder.deploy.BuiltinOperations;
import io.imagebuilder.deploy.Console;
import io.imagebuilder.deploy.DeployOptions;
import io.imagebuilder.deploy.DeploymentResult;
import io.imagebuilder.deploy.Deployments;
import io.imagebuilder.deploy.Dispatcher;
import io.imagebuilder.deploy.Notification;
import io.imagebuilder.deploy.Notifier;
import io.imagebuilder.deploy.Outputs;
import io.imagebuilder.deploy.Runners;
import io.imagebuilder.deploy.TriggerRun;
import io.imagebuilder.deploy.operation.OperationRunner;
import io.imagebuilder.deploy.state.DeploymentState;
import io.imagebuilder.deploy.state.StateStore;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.BuildReport;
import io.imagebuilder.imagebuild.BuildRequest;
import io.imagebuilder.imagebuild.lock.BuildLock;
import io.imagebuilder.imagebuild.lock.VendoredImages;
import io.imagebuilder.imagebuild.lock.VerifyLockStep;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.pool.SharedHosts;
import io.imagebuilder.imagebuild.source.Material;
import io.imagebuilder.imagebuild.source.SourceException;
import io.imagebuilder.imagebuild.source.VendorMaterialStep;
import io.imagebuilder.imagenode.BuildChecks;
import io.imagebuilder.imagenode.BuildService;
import io.imagebuilder.imagenode.ImageOperations;
import io.imagebuilder.plan.Plan;
import io.imagebuilder.plan.Planner;
import io.imagebuilder.tosca.TemplateCache;
import io.imagebuilder.tosca.ToscaLoader;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.yaml.YamlReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The one entry point the CLI and the REST API call. */
public final class ImageBuilder {

    private final Path workingDirectory;
    private final long maxTemplateBytes;
    private final SharedHosts shared;
    /** The bundled blueprint, read once for every build this facade checks or runs. */
    private final TemplateCache templates;
    /** Whether templates given to validate are kept in {@link #templates} too. */
    private boolean keepTemplates;

    public ImageBuilder(Path workingDirectory) {
        this(workingDirectory, YamlReader.DEFAULT_MAX_BYTES);
    }

    public ImageBuilder(Path workingDirectory, SharedHosts shared) {
        this(workingDirectory, YamlReader.DEFAULT_MAX_BYTES, shared);
    }

    /** {@code maxTemplateBytes}: the largest template, imported file, inputs or build_params file this reads. */
    public ImageBuilder(Path workingDirectory, long maxTemplateBytes) {
        this(workingDirectory, maxTemplateBytes, SharedHosts.create());
    }

    /**
     * {@code shared}: the build slots and client capabilities shared with every other build of the process
     * (without it, this facade's builds share them only among themselves).
     */
    public ImageBuilder(Path workingDirectory, long maxTemplateBytes, SharedHosts shared) {
        this(workingDirectory, maxTemplateBytes, shared, new TemplateCache());
    }

    /** {@code templates}: where the bundled blueprint is kept read, shared with {@link #prepareBuilds}. */
    public ImageBuilder(Path workingDirectory, long maxTemplateBytes, SharedHosts shared, TemplateCache templates) {
        this.workingDirectory = workingDirectory;
        this.maxTemplateBytes = maxTemplateBytes;
        this.shared = shared;
        this.templates = templates;
    }

    /**
     * Reads and type-checks the bundled blueprint into {@code templates} for the builds of a facade made with the
     * same cache, working directory and size limit, and makes what every build's state needs. Problems are left
     * for the builds to report.
     */
    public static void prepareBuilds(Path workingDirectory, long maxTemplateBytes, TemplateCache templates) {
        BuildService.prepareAhead(workingDirectory, maxTemplateBytes, templates);
        StateStore.prepare();
    }

    /**
     * This facade, keeping the templates it validates read and type-checked between calls (only their inputs are
     * read each time), as a server that checks many requests against the same blueprints wants.
     */
    public ImageBuilder keepingTemplates() {
        ImageBuilder kept = new ImageBuilder(workingDirectory, maxTemplateBytes, shared, templates);
        kept.keepTemplates = true;
        return kept;
    }

    /** Parses and checks a template with its inputs; throws InvalidInputException listing every problem. */
    public Topology validate(Path template, List<Path> inputFiles) {
        Topology topology = new ToscaLoader(workingDirectory, maxTemplateBytes, keepTemplates ? templates : null)
                .load(template, inputFiles);
        BuildChecks.check(topology);
        return topology;
    }

    public Plan plan(Path template, List<Path> inputFiles) {
        return new Planner().deployPlan(validate(template, inputFiles));
    }

    /** Deployments whose operations print to {@code console}. */
    public Deployments deployments(Console console) {
        return new Deployments(workingDirectory, new Dispatcher(runners()), console, maxTemplateBytes);
    }

    public DeploymentResult deploy(Path template, List<Path> inputFiles, DeployOptions options, Console console,
                                   Cancellation cancellation) throws InterruptedException {
        return deployments(console).deploy(validate(template, inputFiles), template, inputFiles, null, options,
                cancellation, null);
    }

    /** What a direct build would build and push, without building. */
    public BuildReport planBuild(BuildRequest request) {
        return new BuildService(workingDirectory, deployments(null), maxTemplateBytes, templates).plan(request);
    }

    /** Builds and pushes the images of a build_params file through the bundled blueprint. */
    public BuildReport build(BuildRequest request, Console console, Cancellation cancellation)
            throws InterruptedException {
        return new BuildService(workingDirectory, deployments(console), maxTemplateBytes, templates)
                .build(request, console, cancellation, shared);
    }

    /**
     * Checks every asset of a lock against the world as it is now.
     *
     * @param registry whose credentials are used for the images in it, or null to ask every registry anonymously
     */
    public List<VerifyLockStep.Check> verify(BuildLock lock, RegistrySpec registry) throws InterruptedException {
        Path scratch;
        try {
            scratch = java.nio.file.Files.createTempDirectory("image-builder-verify-");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create a scratch directory: " + e.getMessage(), e);
        }
        try {
            return new VerifyLockStep(registry, scratch).run(lock);
        } finally {
            io.imagebuilder.util.Trees.delete(scratch);
        }
    }

    /**
     * Copies every asset of a lock into {@code directory} (with the lock itself), for {@code build --offline}: base
     * images as OCI image layouts, git commits as bundles, downloads as files, each checked against the lock.
     *
     * @param registry whose credentials are used for the images in it, or null to ask every registry anonymously
     */
    public void vendor(BuildLock lock, Path directory, RegistrySpec registry, Console console)
            throws java.io.IOException, InterruptedException {
        java.nio.file.Files.createDirectories(directory);
        Path scratch = java.nio.file.Files.createTempDirectory("image-builder-vendor-");
        try {
            VendorMaterialStep materials = new VendorMaterialStep(scratch, console::line);
            for (Material m : lock.materials()) {
                try {
                    materials.run(m, directory);
                } catch (SourceException e) {
                    throw new java.io.IOException(e.getMessage(), e);
                }
            }
            new VendoredImages(registry, console::line).save(lock, directory);
            lock.write(directory.resolve(BuildLock.FILE_NAME));
        } finally {
            io.imagebuilder.util.Trees.delete(scratch);
        }
    }

    public DeploymentResult undeploy(Path stateDirectory, int workers, Console console, Cancellation cancellation)
            throws InterruptedException {
        return deployments(console).undeploy(stateDirectory, workers, cancellation);
    }

    /** Runs the triggers named {@code triggerOrEvent} on the deployment in {@code stateDirectory}. */
    public TriggerRun notify(Path stateDirectory, String triggerOrEvent, Notification notification, Console console,
                             Cancellation cancellation) throws InterruptedException {
        Deployments deployments = deployments(console);
        return new Notifier(deployments, new Dispatcher(runners()), console)
                .notify(stateDirectory, triggerOrEvent, notification, cancellation);
    }

    public DeploymentState status(Path stateDirectory) {
        return deployments(null).existing(stateDirectory).state();
    }

    public Map<String, Object> outputs(Path stateDirectory) {
        Deployments deployments = deployments(null);
        StateStore store = deployments.existing(stateDirectory);
        return Outputs.of(deployments.topologyOf(store.state()), store);
    }

    /** The operation runners of every deployment: Ansible, scripts, and the built-in operations of the image types. */
    private List<OperationRunner> runners() {
        return Runners.standard(ImageOperations.register(new BuiltinOperations(), shared));
    }
}
