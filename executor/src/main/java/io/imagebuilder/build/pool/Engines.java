package io.imagebuilder.build.pool;

import io.imagebuilder.build.host.BuildHost;
import io.imagebuilder.build.outcome.BuildException;
import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;

/** Connects to build hosts; a host that cannot be reached throws, saying why. */
@FunctionalInterface
interface Engines {

    EngineSession open(BuildHost host, LineSink log, Cancellation cancellation) throws BuildException;
}
