package io.imagebuilder.deploy;

import io.imagebuilder.deploy.operation.OperationFailedException;
import io.imagebuilder.deploy.state.DeploymentState;
import io.imagebuilder.deploy.state.StateStore;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.plan.LifecycleStep;
import io.imagebuilder.plan.NodeState;
import io.imagebuilder.plan.TriggerCalls;
import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.secret.Redactor;
import io.imagebuilder.tosca.topology.Operation;
import io.imagebuilder.tosca.topology.Topology;
import io.imagebuilder.tosca.topology.Trigger;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the triggers a name or event selects against a deployed topology, one operation at a time, in the order
 * the plan lists them, and stops at the first that fails. Nothing watches for events: this is how they arrive.
 */
public final class Notifier {

    private final Deployments deployments;
    private final Dispatcher dispatcher;
    private final Console console;

    public Notifier(Deployments deployments, Dispatcher dispatcher, Console console) {
        this.deployments = deployments;
        this.dispatcher = dispatcher;
        this.console = console;
    }

    /** {@code notification} may be null. Everything is checked before the first operation runs. */
    public TriggerRun notify(Path stateDirectory, String triggerOrEvent, Notification notification,
                             Cancellation cancellation) throws InterruptedException {
        StateStore store = deployments.existing(stateDirectory);
        DeploymentState state = store.state();
        if (state.status != DeploymentState.Status.DEPLOYED) {
            throw invalid(Location.file(stateDirectory.toString()), "the deployment recorded here is "
                    + (state.status == null ? "not started" : state.status.name().toLowerCase())
                    + ", not deployed; triggers run only on a deployed topology");
        }
        Topology topology = deployments.topologyOf(state);
        List<Trigger> chosen = TriggerCalls.all(topology).stream().filter(t -> t.answers(triggerOrEvent)).toList();
        if (chosen.isEmpty()) {
            throw invalid(Location.file(state.template), "no trigger or event is named \"" + triggerOrEvent + "\"; "
                    + known(topology));
        }
        List<TriggerCalls.Call> calls = new ArrayList<>();
        for (Trigger t : chosen) calls.addAll(TriggerCalls.of(topology, t));
        calls = check(calls, notification);
        if (!cancellation.beginRecordedWork()) throw new InterruptedException("cancelled before the trigger ran");
        StepRunner steps = new StepRunner(topology, store, dispatcher, console,
                new Redactor(SecretValues.of(topology)), null, cancellation);
        List<TriggerRun.Ran> ran = new ArrayList<>();
        for (TriggerCalls.Call call : calls) {
            Operation op = call.operation();
            console.line("trigger " + call.trigger().name() + " (policy " + call.trigger().policy() + ") calls "
                    + op.qualifiedName() + " on " + call.node());
            LifecycleStep step = new LifecycleStep(op.qualifiedName(), op, null, NodeState.STARTED,
                    NodeState.STARTED);
            try {
                steps.runOnce(call.node(), step);
            } catch (OperationFailedException e) {
                return new TriggerRun(ran, e);
            }
            ran.add(new TriggerRun.Ran(call.trigger().name(), call.trigger().policy(), call.node(),
                    op.qualifiedName()));
        }
        return new TriggerRun(ran, null);
    }

    /** Every operation must be runnable, and the notification must not replace an input the template sets. */
    private List<TriggerCalls.Call> check(List<TriggerCalls.Call> calls, Notification notification) {
        Problems problems = new Problems();
        List<TriggerCalls.Call> out = new ArrayList<>();
        for (TriggerCalls.Call call : calls) {
            Operation op = call.operation();
            String primary = op.implementation().primary();
            String what = "node \"" + call.node() + "\" operation " + op.qualifiedName();
            if (dispatcher.runnerFor(primary) == null) {
                problems.add(op.location(), what + ": cannot run \"" + primary + "\"; implementations must be "
                        + "Ansible playbooks (.yml, .yaml), shell scripts (.sh) or built-in operations (builtin:NAME)");
            }
            if (notification == null) {
                out.add(call);
                continue;
            }
            if (op.inputs().containsKey(Notification.INPUT)) {
                problems.add(op.location(), what + " has an input named \"" + Notification.INPUT + "\", which "
                        + "holds the notification file's contents when one is given; rename the input");
            }
            Map<String, YNode> inputs = new LinkedHashMap<>(op.inputs());
            inputs.put(Notification.INPUT, YScalar.of(notification.contents(),
                    Location.file(notification.file().toString())));
            out.add(new TriggerCalls.Call(call.trigger(), call.node(), op.withInputs(inputs)));
        }
        problems.throwIfAny("checking the trigger's operations");
        return out;
    }

    private static String known(Topology topology) {
        Set<String> names = new LinkedHashSet<>();
        for (Trigger t : TriggerCalls.all(topology)) {
            names.add(t.name() + (t.event() == null ? "" : " (event " + t.event() + ")"));
        }
        return names.isEmpty() ? "the template has no triggers" : "the template has " + String.join(", ", names);
    }

    private static InvalidInputException invalid(Location at, String message) {
        return new InvalidInputException("checking the trigger", List.of(Problem.at(at, message)));
    }
}
