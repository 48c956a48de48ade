package io.imagebuilder.imagebuild.e2e;

import io.imagebuilder.testenv.TestEnvironment;

/** Pieces of the build files tests write for the build command: the keys beside build_params. */
final class BuildFiles {

    private BuildFiles() {
    }

    /** The build host inputs for loopback host {@code n}, one key per line. */
    static String host(TestEnvironment env, int n) {
        return "docker_host: " + BuildFailuresTest.q(env.dockerHost(n)) + "\n"
                + "ssh_private_key: " + BuildFailuresTest.q(env.sshKey().toString()) + "\n"
                + "known_hosts: " + BuildFailuresTest.q(env.knownHosts().toString()) + "\n"
                + "docker_client: " + BuildFailuresTest.q(env.dockerClient()) + "\n"
                + "build_network: none\n";
    }

    /** The registry password input, for a file only its owner may read. */
    static String registryPassword(TestEnvironment env) {
        return "registry_password: " + BuildFailuresTest.q(env.registryPassword()) + "\n";
    }
}
