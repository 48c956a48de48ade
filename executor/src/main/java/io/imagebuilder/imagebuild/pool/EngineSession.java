package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.imagebuild.host.DockerClient;

import java.util.List;

/** One engine, connected for the length of a run: over SSH in use, kept in memory in tests. */
interface EngineSession extends AutoCloseable {

    DockerClient docker();

    /** The qemu handlers registered with the host kernel, which tell the platforms it emulates. */
    List<String> binfmtHandlers();

    /** False once the connection has dropped: the surest sign that the host, not a build, failed. */
    boolean isOpen();

    @Override
    void close();
}
