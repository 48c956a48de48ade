package io.imagebuilder.deploy.state;

import io.imagebuilder.plan.NodeState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the deployment knows about one node. Mutable; guarded by the {@link StateStore} that owns it.
 * {@code completed} lists the deploy steps done, {@code undone} the undeploy steps done, so a resumed run
 * skips them.
 */
public final class NodeRecord {
    public NodeState state = NodeState.INITIAL;
    /** The state the node was in when an operation failed; {@code state} is then ERROR. */
    public NodeState failedIn;
    public String lastOperation;
    public Instant operationStarted;
    public Instant operationFinished;
    public Long durationMillis;
    public String error;
    public List<String> completed = new ArrayList<>();
    public List<String> undone = new ArrayList<>();
    public Map<String, Object> attributes = new LinkedHashMap<>();
    /** Attributes of the node's relationships, by relationship key ("requirement->target"). */
    public Map<String, Map<String, Object>> relationships = new LinkedHashMap<>();
    /** Outputs by operation, e.g. "Standard.create" → {name: value}. */
    public Map<String, Map<String, Object>> outputs = new LinkedHashMap<>();
}
