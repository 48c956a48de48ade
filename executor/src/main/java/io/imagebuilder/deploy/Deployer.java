package io.imagebuilder.deploy;

import io.imagebuilder.deploy.operation.OperationFailedException;
import io.imagebuilder.deploy.state.DeploymentState;
import io.imagebuilder.deploy.state.NodeRecord;
import io.imagebuilder.deploy.state.StateStore;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.plan.LifecycleSteps;
import io.imagebuilder.plan.NodeState;
import io.imagebuilder.secret.Redactor;
import io.imagebuilder.tosca.topology.Node;
import io.imagebuilder.tosca.topology.Relationship;
import io.imagebuilder.tosca.topology.Topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deploys and undeploys a topology. A node is deployed once every node it requires is started, and undeployed
 * once every node requiring it is deleted; independent nodes run at the same time, up to the number of workers.
 */
public final class Deployer {

    private final Topology topology;
    private final StateStore store;
    private final StepRunner steps;
    private final Console console;
    private final int workers;
    private final Cancellation cancellation;

    /** {@code operationTimeout} (null: none) limits the operations that set no timeout of their own. */
    public Deployer(Topology topology, StateStore store, Dispatcher dispatcher, Console console, Redactor redactor,
                    int workers, java.time.Duration operationTimeout, Cancellation cancellation) {
        this.topology = topology;
        this.store = store;
        this.console = console;
        this.workers = workers;
        this.cancellation = cancellation;
        this.steps = new StepRunner(topology, store, dispatcher, console, redactor, operationTimeout, cancellation);
    }

    /** Runs what is left to deploy; the final status is saved and returned. */
    public DeploymentState.Status deploy() throws InterruptedException {
        store.update(s -> {
            s.status = DeploymentState.Status.DEPLOYING;
            s.finished = null;
            topology.nodes().keySet().forEach(s::node);
        });
        Map<String, Set<String>> waitsFor = new HashMap<>();
        for (Node n : topology.nodes().values()) {
            Set<String> deps = new LinkedHashSet<>();
            for (Relationship r : n.requirements()) deps.add(r.target());
            waitsFor.put(n.name(), deps);
        }
        List<Scheduler.Failure> failures = Scheduler.run(new ArrayList<>(topology.nodes().keySet()), waitsFor, workers,
                name -> {
                    if (record(name).state == NodeState.STARTED) return;
                    steps.run(name, LifecycleSteps.deploy(topology.node(name)), false, NodeState.STARTED);
                }, cancellation);
        return finish(failures, DeploymentState.Status.DEPLOYED);
    }

    /** Stops and deletes every node that was deployed, dependents first. */
    public DeploymentState.Status undeploy() throws InterruptedException {
        store.update(s -> {
            s.status = DeploymentState.Status.UNDEPLOYING;
            s.finished = null;
        });
        Map<String, Set<String>> waitsFor = new HashMap<>();
        for (Node n : topology.nodes().values()) waitsFor.computeIfAbsent(n.name(), k -> new LinkedHashSet<>());
        for (Node n : topology.nodes().values()) {
            for (Relationship r : n.requirements()) waitsFor.get(r.target()).add(n.name());
        }
        List<String> order = new ArrayList<>(topology.nodes().keySet());
        java.util.Collections.reverse(order);
        List<Scheduler.Failure> failures = Scheduler.run(order, waitsFor, workers, name -> {
            NodeRecord r = record(name);
            if (r.state == NodeState.INITIAL || r.state == NodeState.DELETED) return;
            steps.run(name, LifecycleSteps.undeploy(topology.node(name)), true, NodeState.DELETED);
        }, cancellation);
        return finish(failures, DeploymentState.Status.UNDEPLOYED);
    }

    private NodeRecord record(String name) {
        synchronized (store) {
            return store.state().node(name);
        }
    }

    private DeploymentState.Status finish(List<Scheduler.Failure> failures, DeploymentState.Status success) {
        DeploymentState.Status status = !failures.isEmpty() ? DeploymentState.Status.FAILED
                : cancellation.isCancelled() ? DeploymentState.Status.CANCELLED : success;
        store.update(s -> {
            s.status = status;
            s.finished = Instant.now();
            if (status == DeploymentState.Status.UNDEPLOYED) {
                s.nodes.values().forEach(r -> {
                    r.completed.clear();
                    r.undone.clear();
                });
            }
        });
        for (Scheduler.Failure f : failures) {
            if (!(f.error() instanceof OperationFailedException)) {
                console.line("error in node \"" + f.node() + "\": " + f.error());
            }
        }
        return status;
    }
}
