package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.host.ClientCapabilities;
import io.imagebuilder.imagebuild.host.ClientCapabilityCache;
import io.imagebuilder.imagebuild.host.DockerCli;
import io.imagebuilder.imagebuild.host.DockerClient;
import io.imagebuilder.imagebuild.host.EngineConnection;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.RegistrySpec;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Engines reached with the docker client over an SSH connection (or a local socket). */
final class SshEngines implements Engines {

    private final ClientCapabilityCache clients;
    /** Where connections opened ahead wait for this run. */
    private final ConnectionsAhead ahead;

    SshEngines(ClientCapabilityCache clients, ConnectionsAhead ahead) {
        this.clients = clients;
        this.ahead = ahead;
    }

    @Override
    public EngineSession open(BuildHost host, LineSink log, Cancellation cancellation) throws BuildException {
        // what the client can do is found out while the connection opens
        CompletableFuture<ClientCapabilities> caps = Futures.supply(() -> clients.of(host.dockerClient()));
        EngineConnection opened = ahead.take(host, log, cancellation);
        EngineConnection connection = opened != null ? opened : EngineConnection.open(host, log, cancellation);
        try {
            return new Session(connection, new DockerCli(Futures.join(caps), connection, cancellation));
        } catch (BuildException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The login checked ahead for this run, when there is one. */
    @Override
    public CompletableFuture<Void> login(RegistrySpec registry, LineSink log) {
        CompletableFuture<Void> checked = ahead.takeLogin(registry, log);
        return checked != null ? checked : Engines.checkLogin(registry, log);
    }

    private record Session(EngineConnection connection, DockerClient docker) implements EngineSession {

        @Override
        public List<String> binfmtHandlers() {
            return connection.binfmtHandlers();
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen();
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
