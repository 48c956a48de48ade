package io.imagebuilder.deploy;

import io.imagebuilder.deploy.ansible.AnsibleRunner;
import io.imagebuilder.deploy.ansible.RemoteFiles;
import io.imagebuilder.deploy.operation.HostConnection;
import io.imagebuilder.deploy.operation.OperationFailedException;
import io.imagebuilder.deploy.operation.OperationRequest;
import io.imagebuilder.deploy.operation.OperationResult;
import io.imagebuilder.deploy.operation.OperationRunner;
import io.imagebuilder.deploy.state.DeploymentState;
import io.imagebuilder.deploy.state.NodeRecord;
import io.imagebuilder.deploy.state.StateStore;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.plan.LifecycleStep;
import io.imagebuilder.plan.NodeState;
import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.secret.Redactor;
import io.imagebuilder.secret.SecretNames;
import io.imagebuilder.tosca.function.Context;
import io.imagebuilder.tosca.function.Evaluator;
import io.imagebuilder.tosca.function.RuntimeValues;
import io.imagebuilder.tosca.topology.AttributeMapping;
import io.imagebuilder.tosca.topology.Operation;
import io.imagebuilder.tosca.topology.Relationship;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.util.Trees;
import io.imagebuilder.yaml.YNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs the lifecycle steps of one node, recording each transition in the state before and after it runs, so an
 * interrupted run can be resumed at the step that did not finish.
 */
final class StepRunner {

    private final Topology topology;
    private final StateStore store;
    private final Dispatcher dispatcher;
    private final Console console;
    private final Redactor redactor;
    private final Cancellation cancellation;
    private final Duration defaultTimeout;

    StepRunner(Topology topology, StateStore store, Dispatcher dispatcher, Console console, Redactor redactor,
               Duration defaultTimeout, Cancellation cancellation) {
        this.topology = topology;
        this.store = store;
        this.dispatcher = dispatcher;
        this.console = console;
        this.redactor = redactor;
        this.defaultTimeout = defaultTimeout;
        this.cancellation = cancellation;
    }

    /** Runs the steps not yet done; {@code done} selects the list of finished step ids (deploy or undeploy). */
    void run(String node, List<LifecycleStep> steps, boolean undeploy, NodeState finalState)
            throws OperationFailedException {
        for (LifecycleStep step : steps) {
            if (doneList(record(node), undeploy).contains(step.id())) continue;
            if (cancellation.isCancelled()) throw new OperationFailedException(node, step.id(), "cancelled");
            runStep(node, step, r -> doneList(r, undeploy));
        }
        store.update(s -> {
            NodeRecord r = s.node(node);
            r.state = finalState;
            r.error = null;
            r.failedIn = null;
        });
    }

    /**
     * Runs one operation outside the lifecycle, as a trigger does: it shows as the node's last operation and its
     * results are recorded, but it is never counted as a step done, so it runs again whenever it is asked for.
     */
    void runOnce(String node, LifecycleStep step) throws OperationFailedException {
        if (cancellation.isCancelled()) throw new OperationFailedException(node, step.id(), "cancelled");
        runStep(node, step, null);
    }

    private NodeRecord record(String node) {
        synchronized (store) {
            return store.state().node(node);
        }
    }

    private static List<String> doneList(NodeRecord r, boolean undeploy) {
        return undeploy ? r.undone : r.completed;
    }

    /** {@code done} (null: none) is the list of the node's record the step is added to once it succeeded. */
    private void runStep(String node, LifecycleStep step, Function<NodeRecord, List<String>> done)
            throws OperationFailedException {
        Instant started = Instant.now();
        store.update(s -> {
            NodeRecord r = s.node(node);
            r.state = step.during();
            r.failedIn = null;
            r.error = null;
            r.lastOperation = step.id();
            r.operationStarted = started;
            r.operationFinished = null;
            r.durationMillis = null;
        });
        String prefix = "[" + node + " " + step.id() + "] ";
        console.line("==> " + node + ": " + step.id() + " (" + step.operation().implementation().primary() + ")");
        OperationResult result;
        try {
            result = execute(node, step, prefix);
        } catch (OperationFailedException e) {
            Instant finished = Instant.now();
            String reason = redactor.redact(e.reason());
            store.update(s -> {
                NodeRecord r = s.node(node);
                r.state = NodeState.ERROR;
                r.failedIn = step.during();
                r.error = reason;
                r.attributes.putAll(safe(e.attributes()));
                r.operationFinished = finished;
                r.durationMillis = Duration.between(started, finished).toMillis();
            });
            console.line("<== " + node + ": " + step.id() + " FAILED: " + reason);
            throw new OperationFailedException(node, step.id(), reason);
        }
        Instant finished = Instant.now();
        store.update(s -> {
            NodeRecord r = s.node(node);
            r.state = step.after();
            if (done != null) done.apply(r).add(step.id());
            recordResults(s, node, step, result);
            r.outputs.put(step.operation().qualifiedName(), safe(result.outputs()));
            r.operationFinished = finished;
            r.durationMillis = Duration.between(started, finished).toMillis();
        });
        console.line("<== " + node + ": " + step.id() + " ok (" + seconds(Duration.between(started, finished)) + ")");
    }

    private OperationResult execute(String node, LifecycleStep step, String prefix) throws OperationFailedException {
        Operation op = step.operation();
        OperationRunner runner = dispatcher.runnerFor(op.implementation().primary());
        if (runner == null) {
            throw new OperationFailedException(node, step.id(), "no runner for implementation \""
                    + op.implementation().primary() + "\"");
        }
        Relationship r = step.relationship();
        String hostNode = r != null && op.name().endsWith("_target") ? r.target() : node;
        HostConnection host;
        try {
            host = new HostResolver(topology, new StateRuntimeValues(store)).hostOf(hostNode);
        } catch (HostResolver.InvalidSettingException e) {
            throw new OperationFailedException(node, step.id(), "cannot reach its host: " + e.getMessage());
        }
        Path work = workDirectory(node, step);
        Path log = store.logs().resolve(safeName(node)).resolve(safeName(step.id()) + ".log");
        Long timeoutSeconds = op.implementation().timeoutSeconds();
        Duration timeout = timeoutSeconds == null ? defaultTimeout : Duration.ofSeconds(timeoutSeconds);
        try (BufferedWriter logFile = openLog(log)) {
            LineSink sink = line -> {
                String clean = redactor.redact(line);
                console.line(prefix + clean);
                synchronized (logFile) {
                    try {
                        logFile.write(clean);
                        logFile.newLine();
                        logFile.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            OperationRuntimeValues values = host.local()
                    ? new OperationRuntimeValues(new StateRuntimeValues(store), work)
                    : new OperationRuntimeValues(new StateRuntimeValues(store), host, work, new RemoteFiles(
                            new AnsibleRunner(), host, work.resolve("remote-files"), sink, timeout, cancellation),
                            deploymentId());
            try {
                Map<String, Object> inputs = resolveInputs(node, step, values);
                OperationRequest request = new OperationRequest(node, step.id(), op.implementation(), inputs, host,
                        work, sink, timeout, cancellation, topology,
                        store.directory().resolve("nodes").resolve(safeName(node)));
                return runner.run(request);
            } finally {
                values.removePlaced(sink);
            }
        } catch (IOException e) {
            throw new OperationFailedException(node, step.id(), "cannot write the log " + log + ": " + e.getMessage());
        } finally {
            Trees.delete(work);
        }
    }

    /** The deployment's id, which names its directory on SSH hosts; given to it by its first operation on one. */
    private String deploymentId() {
        synchronized (store) {
            if (store.state().id == null) store.update(s -> s.id = UUID.randomUUID().toString());
            return store.state().id;
        }
    }

    private Map<String, Object> resolveInputs(String node, LifecycleStep step, RuntimeValues values)
            throws OperationFailedException {
        Problems problems = new Problems();
        Evaluator evaluator = new Evaluator(topology, problems, values);
        Context ctx = step.relationship() == null ? Context.ofNode(node) : Context.ofRelationship(step.relationship());
        Map<String, Object> out = new LinkedHashMap<>();
        step.operation().inputs().forEach((k, v) -> {
            YNode resolved = evaluator.resolve(v, ctx);
            out.put(k, resolved == null ? null : resolved.toPlain());
        });
        if (!problems.isEmpty()) {
            throw new OperationFailedException(node, step.id(), "cannot resolve its inputs: " + problems.sorted()
                    .stream().map(Problem::toString).collect(Collectors.joining("; ")));
        }
        return out;
    }

    /**
     * Values a node operation publishes become the node's attributes. A relationship operation's values become
     * attributes of the relationship when its type declares them, else of its source node. Outputs mapped to
     * attributes are set where the mapping says.
     */
    private void recordResults(DeploymentState s, String node, LifecycleStep step, OperationResult result) {
        Relationship rel = step.relationship();
        Map<String, Object> values = safe(result.attributes());
        values.forEach((k, v) -> {
            if (rel != null && declaresAttribute(rel, k)) relationshipAttributes(s, rel).put(k, v);
            else s.node(node).attributes.put(k, v);
        });
        Map<String, Object> outputs = safe(result.outputs());
        for (AttributeMapping m : step.operation().outputs()) {
            if (!outputs.containsKey(m.output())) continue;
            Object v = outputs.get(m.output());
            switch (m.entity()) {
                case "SOURCE" -> s.node(rel.source()).attributes.put(m.attribute(), v);
                case "TARGET" -> s.node(rel.target()).attributes.put(m.attribute(), v);
                default -> {
                    if (rel != null) relationshipAttributes(s, rel).put(m.attribute(), v);
                    else s.node(node).attributes.put(m.attribute(), v);
                }
            }
        }
    }

    private static boolean declaresAttribute(Relationship r, String name) {
        return r.type().attributes().containsKey(name) && !r.type().properties().containsKey(name);
    }

    private static Map<String, Object> relationshipAttributes(DeploymentState s, Relationship r) {
        return s.node(r.source()).relationships.computeIfAbsent(r.key(), k -> new LinkedHashMap<>());
    }

    /** Values an operation returns are kept in the state; secret ones are kept masked. */
    private Map<String, Object> safe(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, SecretNames.isSecret(k) && v != null ? Redactor.MASK
                : redactor.redactValue(v)));
        return out;
    }

    private Path workDirectory(String node, LifecycleStep step) throws OperationFailedException {
        try {
            Path dir = store.runs().resolve(safeName(node)).resolve(safeName(step.id()) + "-" + System.nanoTime());
            Files.createDirectories(dir.getParent());
            return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new OperationFailedException(node, step.id(), "cannot create a work directory: " + e.getMessage());
        }
    }

    private static BufferedWriter openLog(Path log) throws IOException {
        Files.createDirectories(log.getParent());
        return Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    }

    static String safeName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }


    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
