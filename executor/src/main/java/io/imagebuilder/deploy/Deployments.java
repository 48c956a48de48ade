package io.imagebuilder.deploy;

import io.imagebuilder.deploy.state.DeploymentState;
import io.imagebuilder.deploy.state.StateStore;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.plan.LifecycleStep;
import io.imagebuilder.plan.LifecycleSteps;
import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.secret.Redactor;
import io.imagebuilder.tosca.ToscaLoader;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Topology;

import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YamlReader;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Deployments kept in state directories: starts, resumes, undeploys, and reads them back. Refuses, before
 * running anything, to start over an unfinished deployment or to run operations nothing can carry out.
 */
public final class Deployments {

    private final Path workingDirectory;
    private final Dispatcher dispatcher;
    private final Console console;
    private final long maxTemplateBytes;

    public Deployments(Path workingDirectory, Dispatcher dispatcher, Console console) {
        this(workingDirectory, dispatcher, console, YamlReader.DEFAULT_MAX_BYTES);
    }

    /**
     * {@code maxTemplateBytes}: the largest template, imported file or inputs file read, also when undeploy,
     * notify and outputs read a deployment's template again.
     */
    public Deployments(Path workingDirectory, Dispatcher dispatcher, Console console, long maxTemplateBytes) {
        this.workingDirectory = workingDirectory;
        this.dispatcher = dispatcher;
        this.console = console;
        this.maxTemplateBytes = maxTemplateBytes;
    }

    public static Path defaultStateDirectory(Path template) {
        Path parent = template.toAbsolutePath().normalize().getParent();
        return (parent == null ? Path.of("") : parent).resolve(StateStore.DEFAULT_DIRECTORY);
    }

    public DeploymentResult deploy(Path template, List<Path> inputs, DeployOptions options,
                                   Cancellation cancellation, Consumer<Deployer> started) throws InterruptedException {
        return deploy(new ToscaLoader(workingDirectory, maxTemplateBytes).load(template, inputs, null), template, inputs, null, options,
                cancellation, started);
    }

    /**
     * Deploys an already validated topology. {@code extraInputs} (may be null) were given in memory rather than
     * in a file; they are recorded in the state directory with secrets masked, so that undeploy and outputs can
     * re-read the deployment without ever storing a secret.
     */
    public DeploymentResult deploy(Topology topology, Path template, List<Path> inputs, YMap extraInputs,
                                   DeployOptions options, Cancellation cancellation, Consumer<Deployer> started)
            throws InterruptedException {
        checkRunnable(topology, true);
        if (!cancellation.beginRecordedWork()) throw new InterruptedException("cancelled before the deployment began");
        Path dir = options.stateDirectory() != null ? options.stateDirectory() : defaultStateDirectory(template);
        StateStore store = new StateStore(dir);
        DeploymentState previous = store.load().orElse(null);
        if (previous != null && options.cleanState()) {
            store.clean();
            previous = null;
        }
        if (previous != null && !options.resume()) refuse(dir, previous);
        DeploymentState state = previous != null ? previous : new DeploymentState();
        state.template = template.toAbsolutePath().normalize().toString();
        List<String> inputPaths = new ArrayList<>(inputs.stream()
                .map(p -> p.toAbsolutePath().normalize().toString()).toList());
        if (extraInputs != null) inputPaths.add(recordInputs(store, topology, extraInputs).toString());
        state.inputs = inputPaths;
        if (previous == null || state.started == null) state.started = Instant.now();
        store.create(state);
        Deployer deployer = new Deployer(topology, store, dispatcher, console,
                new Redactor(SecretValues.of(topology)), options.workers(), options.operationTimeout(), cancellation);
        if (started != null) started.accept(deployer);
        DeploymentState.Status status = deployer.deploy();
        return new DeploymentResult(status, store.directory(), store.state());
    }

    public DeploymentResult undeploy(Path stateDirectory, int workers, Cancellation cancellation)
            throws InterruptedException {
        StateStore store = existing(stateDirectory);
        DeploymentState state = store.state();
        Topology topology = topologyOf(state);
        checkRunnable(topology, false);
        if (!cancellation.beginRecordedWork()) {
            throw new InterruptedException("cancelled before the undeployment began");
        }
        Deployer deployer = new Deployer(topology, store, dispatcher, console,
                new Redactor(SecretValues.of(topology)), workers, null, cancellation);
        DeploymentState.Status status = deployer.undeploy();
        return new DeploymentResult(status, store.directory(), store.state());
    }

    /** The saved state, and the topology it was deployed from (re-read from the same template and inputs). */
    public StateStore existing(Path stateDirectory) {
        StateStore store = new StateStore(stateDirectory);
        if (store.load().isEmpty()) {
            throw invalid(stateDirectory, "no deployment here (" + stateDirectory.resolve("state.json")
                    + " is missing); deploy first, or name the state directory with --state-dir");
        }
        return store;
    }

    public Topology topologyOf(DeploymentState state) {
        return new ToscaLoader(workingDirectory, maxTemplateBytes).load(Path.of(state.template),
                state.inputs.stream().map(Path::of).toList());
    }

    private static Path recordInputs(StateStore store, Topology topology, YMap extra) {
        Map<String, Object> masked = new LinkedHashMap<>();
        extra.keys().forEach(k -> masked.put(k, topology.secrets().masked(k, topology.inputs().containsKey(k)
                ? topology.inputs().get(k).value() : extra.get(k))));
        Path file = store.directory().resolve("inputs.yaml");
        try {
            store.createDirectory();
            // written with the schema it is read back with, so that text such as "0755" stays quoted text
            Files.writeString(file, new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK)
                    .setSchema(new CoreSchema()).build()).dumpToString(masked));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the inputs in " + file, e);
        }
        return file;
    }

    private static void refuse(Path dir, DeploymentState previous) {
        if (previous.status == DeploymentState.Status.DEPLOYED) {
            throw invalid(dir, "this template is already deployed (state in " + dir + "); undeploy it first, or "
                    + "pass --clean-state to forget that deployment and deploy again");
        }
        if (previous.unfinished()) {
            throw invalid(dir, "an unfinished deployment is recorded in " + dir + " (status "
                    + previous.status.name().toLowerCase() + "); pass --resume to continue it, or --clean-state "
                    + "to discard it and start over");
        }
    }

    /** Every operation must have a runner before anything runs: a deploy must not fail half-way for that. */
    private void checkRunnable(Topology topology, boolean deploy) {
        Problems problems = new Problems();
        for (Node node : topology.nodes().values()) {
            List<LifecycleStep> all = new ArrayList<>(LifecycleSteps.deploy(node));
            all.addAll(LifecycleSteps.undeploy(node));
            for (LifecycleStep step : all) {
                String primary = step.operation().implementation().primary();
                if (dispatcher.runnerFor(primary) == null) {
                    problems.add(step.operation().location(), "node \"" + node.name() + "\" operation " + step.id()
                            + ": cannot run \"" + primary + "\"; implementations must be Ansible playbooks (.yml, "
                            + ".yaml), shell scripts (.sh) or built-in operations (builtin:NAME)");
                }
            }
        }
        problems.throwIfAny(deploy ? "checking operations" : "checking operations to undeploy");
    }

    private static InvalidInputException invalid(Path dir, String message) {
        return new InvalidInputException("checking the deployment state",
                List.of(io.imagebuilder.problem.Problem.at(Location.file(dir.toString()), message)));
    }
}
