package io.imagebuilder.deploy;

import io.imagebuilder.deploy.state.DeploymentState;

import java.nio.file.Path;

/** How a deploy or undeploy ended, and where its state is. */
public record DeploymentResult(DeploymentState.Status status, Path stateDirectory, DeploymentState state) {

    public boolean succeeded() {
        return status == DeploymentState.Status.DEPLOYED || status == DeploymentState.Status.UNDEPLOYED;
    }
}
