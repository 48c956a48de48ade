package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.outcome.BuildException;

/** Connects to build hosts; a host that cannot be reached throws, saying why. */
@FunctionalInterface
interface Engines {

    EngineSession open(BuildHost host, LineSink log, Cancellation cancellation) throws BuildException;
}
