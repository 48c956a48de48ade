package io.imagebuilder.plan;

/** TOSCA's node states, as the executor moves a node through its lifecycle. */
public enum NodeState {
    INITIAL, CREATING, CREATED, CONFIGURING, CONFIGURED, STARTING, STARTED,
    STOPPING, STOPPED, DELETING, DELETED, ERROR;

    public String label() {
        return name().toLowerCase();
    }
}
