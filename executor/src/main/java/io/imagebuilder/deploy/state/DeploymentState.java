package io.imagebuilder.deploy.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deployment as saved in its state directory. It names the template and inputs files instead of copying them,
 * so no secret from an inputs file is ever written here.
 */
public final class DeploymentState {

    public enum Status { DEPLOYING, DEPLOYED, FAILED, CANCELLED, UNDEPLOYING, UNDEPLOYED }

    public int version = 1;
    /** Names the deployment's directory on the SSH hosts it copies artifacts to; set by its first operation there. */
    public String id;
    public String template;
    public List<String> inputs = new ArrayList<>();
    public Status status;
    public Instant started;
    public Instant finished;
    public Map<String, NodeRecord> nodes = new LinkedHashMap<>();

    public NodeRecord node(String name) {
        return nodes.computeIfAbsent(name, n -> new NodeRecord());
    }

    public boolean unfinished() {
        return status != null && status != Status.DEPLOYED && status != Status.UNDEPLOYED;
    }
}
