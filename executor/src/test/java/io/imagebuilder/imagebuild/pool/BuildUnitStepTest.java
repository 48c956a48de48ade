package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.imagebuild.host.HostPlatforms;
import io.imagebuilder.imagebuild.host.HostProbe;
import io.imagebuilder.imagebuild.steps.BuildOptions;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each way a unit fails is told apart where it happens, by what the engine still answers afterwards. */
class BuildUnitStepTest {

    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final BuildOptions OPTIONS = BuildOptions.none();
    private static final BuildUnit APP = new BuildUnit(new ImageSpec("app", "1", null, List.of()), AMD64,
            "127.0.0.1:5000/app:1", "127.0.0.1:5000/app:1", Path.of("/ctx"), Path.of("/ctx/Dockerfile"));

    private static PoolHost connected(FakeEngine engine) throws Exception {
        PoolHost host = new PoolHost(0, engine.host, new HostSlots());
        EngineSession session = FakeEngine.engines(engine).open(engine.host, line -> { }, new Cancellation());
        host.opened(session);
        host.connected(HostProbe.run(session.docker()), HostPlatforms.of(List.of(AMD64), AMD64, List.of()), Map.of());
        return host;
    }

    private static UnitFailure failure(FakeEngine engine, Cancellation cancellation) throws Exception {
        PoolHost host = connected(engine);
        UnitFailedException e = catchThrowableOfType(UnitFailedException.class,
                () -> BuildUnitStep.run(List.of(APP), host, OPTIONS, null, line -> { }, cancellation));
        assertThat(e.getMessage()).isEqualTo(e.failure().message());
        return e.failure();
    }

    private static UnitFailure failure(FakeEngine engine) throws Exception {
        return failure(engine, new Cancellation());
    }

    private static FakeEngine engine() {
        return new FakeEngine("ssh://h", AMD64, 1);
    }

    @Test
    void aBuildThatFailsOnAnEngineThatStillAnswersIsTheBuildsOwnFailure() throws Exception {
        UnitFailure f = failure(engine().failsBuilding(APP.localTag()));
        assertThat(f.kind()).isEqualTo(UnitFailure.Kind.BUILD_FAILED);
        assertThat(f.losesHost()).isFalse();
        assertThat(f.hostProblem()).isNull();
        assertThat(f.message()).startsWith("building " + APP.label() + " failed: ERROR: process");
    }

    @Test
    void aPushTheRegistryRefusesIsTheRegistrys() throws Exception {
        UnitFailure f = failure(engine().refusesPushes());
        assertThat(f.kind()).isEqualTo(UnitFailure.Kind.REGISTRY_REFUSED);
        assertThat(f.losesHost()).isFalse();
        assertThat(f.message()).isEqualTo("pushing " + APP.reference()
                + " failed: denied: requested access to the resource is denied");
    }

    @Test
    void anEngineThatNoLongerAnswersIsALostHost() throws Exception {
        UnitFailure f = failure(engine().diesBuilding(APP.localTag()));
        assertThat(f.kind()).isEqualTo(UnitFailure.Kind.HOST_LOST);
        assertThat(f.losesHost()).isTrue();
        assertThat(f.hostProblem()).startsWith("the engine did not answer: Cannot connect to the Docker daemon");
        assertThat(f.message()).isEqualTo("building " + APP.label()
                + " failed: ERROR: failed to solve: error reading from server: EOF");
    }

    @Test
    void aDroppedConnectionIsALostHost() throws Exception {
        UnitFailure f = failure(engine().dropsConnectionBuilding(APP.localTag()));
        assertThat(f.kind()).isEqualTo(UnitFailure.Kind.HOST_LOST);
        assertThat(f.hostProblem()).isEqualTo("the connection to it dropped");
    }

    @Test
    void anEngineThatHangsHasTimedOutAndIsLostToo() throws Exception {
        UnitFailure f = failure(engine().hangsBuilding(APP.localTag()));
        assertThat(f.kind()).isEqualTo(UnitFailure.Kind.TIMED_OUT);
        assertThat(f.losesHost()).isTrue();
        assertThat(f.hostProblem()).isEqualTo("the engine did not answer within 15 s");
    }

    @Test
    void aCancelledRunIsNeitherTheHostsNorTheBuildsFault() throws Exception {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();
        UnitFailure f = failure(engine().diesBuilding(APP.localTag()), cancellation);
        assertThat(f.kind()).isEqualTo(UnitFailure.Kind.CANCELLED);
        assertThat(f.losesHost()).isFalse();
    }

    @Test
    void aUnitAndTheUnitsThatAreTheSameBuildArePushedEach() throws Exception {
        FakeEngine engine = engine();
        BuildUnit alias = new BuildUnit(APP.image(), AMD64, "127.0.0.1:5000/app:latest",
                "127.0.0.1:5000/app:latest", APP.context(), APP.dockerfile());
        Map<BuildUnit, String> digests = BuildUnitStep.run(List.of(APP, alias), connected(engine), OPTIONS, null,
                line -> { }, new Cancellation());
        assertThat(engine.built()).containsExactly(APP.localTag());
        assertThat(digests).containsExactly(Map.entry(APP, FakeEngine.pushed("ssh://h", APP.reference())),
                Map.entry(alias, FakeEngine.pushed("ssh://h", alias.reference())));
    }
}
