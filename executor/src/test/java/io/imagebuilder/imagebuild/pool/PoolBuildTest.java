package io.imagebuilder.imagebuild.pool;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.host.BuildHost;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.outcome.BuildOutcome;
import io.imagebuilder.imagebuild.outcome.PushedImage;
import io.imagebuilder.imagebuild.steps.BuildOptions;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.ImageSpec;
import io.imagebuilder.imagebuild.params.Platform;
import io.imagebuilder.imagebuild.params.RegistrySpec;
import io.imagebuilder.imagebuild.steps.BuildUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The pool's scheduling, retries and manifest lists against engines kept in memory, so that each way a host or a
 * build can fail is tried on purpose; the end-to-end tests do the same with real engines, as far as they can.
 */
@Timeout(60)
class PoolBuildTest {

    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final RegistrySpec REGISTRY = new RegistrySpec("http://127.0.0.1:5000",
            Credentials.NONE, false);
    private static final BuildOptions OPTIONS = BuildOptions.none();

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final LineSink sink = log::add;

    /** The one unit of a single-platform image, built from a Dockerfile of its own. */
    private static BuildUnit unit(String image, Platform p) {
        ImageSpec spec = new ImageSpec(image, "1", null, List.of(p));
        String reference = "127.0.0.1:5000/" + spec.reference();
        return new BuildUnit(spec, p, reference, reference, Path.of("/ctx"), Path.of("/ctx/" + image + ".Dockerfile"));
    }

    /** The units of an image for several platforms: one reference, a local tag per platform. */
    private static List<BuildUnit> units(String image, Platform... platforms) {
        ImageSpec spec = new ImageSpec(image, "1", null, List.of(platforms));
        String reference = "127.0.0.1:5000/" + spec.reference();
        return Arrays.stream(platforms).map(p -> new BuildUnit(spec, p, reference,
                reference + "-" + p.toString().replace('/', '-'), Path.of("/ctx"),
                Path.of("/ctx/" + image + ".Dockerfile")))
                .toList();
    }

    private BuildOutcome run(Engines engines, List<BuildUnit> units, FakeEngine... hosts) throws BuildException {
        return new PoolBuild(sink, new Cancellation(), new HostSlots(), engines)
                .run(Arrays.stream(hosts).map(h -> h.host).toList(), units, REGISTRY, OPTIONS);
    }

    private static Map<String, Object> hostAttribute(BuildOutcome outcome, FakeEngine host) {
        return outcome.hosts().stream().filter(h -> h.get("docker_host").equals(host.host.dockerHost()))
                .findFirst().orElseThrow();
    }

    @Test
    void aUnitWhoseEngineDiesUnderItIsBuiltOnAnotherHost() throws Exception {
        BuildUnit app = unit("app", AMD64);
        FakeEngine first = new FakeEngine("ssh://first", AMD64, 1).diesBuilding(app.localTag());
        FakeEngine second = new FakeEngine("ssh://second", AMD64, 1);

        BuildOutcome outcome = run(FakeEngine.engines(first, second), List.of(app), first, second);

        assertThat(first.built()).isEmpty();
        assertThat(second.built()).containsExactly(app.localTag());
        assertThat(outcome.images()).extracting(PushedImage::host, PushedImage::digest)
                .containsExactly(tuple("ssh://second",
                        FakeEngine.pushed("ssh://second", app.reference())));
        assertThat(hostAttribute(outcome, first)).containsEntry("status", "failed")
                .containsEntry("units_built", "0");
        assertThat((String) hostAttribute(outcome, first).get("error"))
                .startsWith("failed while building " + app.label() + ": the engine did not answer: Cannot connect");
        assertThat(hostAttribute(outcome, second)).containsEntry("status", "usable")
                .containsEntry("units_built", "1");
        assertThat(log).contains("[" + app.label() + "] retrying on another host in 1 s (attempt 2 of 3)");
    }

    @Test
    void aUnitWhoseConnectionDropsIsBuiltOnAnotherHost() throws Exception {
        BuildUnit app = unit("app", AMD64);
        FakeEngine first = new FakeEngine("ssh://first", AMD64, 1).dropsConnectionBuilding(app.localTag());
        FakeEngine second = new FakeEngine("ssh://second", AMD64, 1);

        BuildOutcome outcome = run(FakeEngine.engines(first, second), List.of(app), first, second);

        assertThat(second.built()).containsExactly(app.localTag());
        assertThat(log).contains("[ssh://first] failed (the connection to it dropped); not used again in this run");
        assertThat(hostAttribute(outcome, first)).containsEntry("error",
                "failed while building " + app.label() + ": the connection to it dropped");
    }

    @Test
    void whenTheLastHostIsLostTheRunFailsSayingSo() {
        BuildUnit app = unit("app", AMD64);
        FakeEngine only = new FakeEngine("ssh://only", AMD64, 1).diesBuilding(app.localTag());

        Engines engines = FakeEngine.engines(only);
        BuildException e = catchThrowableOfType(BuildException.class, () -> run(engines, List.of(app), only));

        assertThat(e.getMessage()).startsWith("building " + app.label() + " failed: ERROR: failed to solve")
                .contains("(ssh://only: the engine did not answer: Cannot connect")
                .endsWith("; no other build host is left");
        assertThat(e.partial().images()).isEmpty();
        assertThat(log).noneMatch(l -> l.contains("retrying"));
    }

    @Test
    void aUnitIsTriedOnAtMostThreeHosts() {
        BuildUnit app = unit("app", AMD64);
        FakeEngine[] hosts = IntStream.range(0, 4).mapToObj(i -> new FakeEngine("ssh://h" + i, AMD64, 1)
                .diesBuilding(app.localTag())).toArray(FakeEngine[]::new);
        Engines engines = FakeEngine.engines(hosts);

        BuildException e = catchThrowableOfType(BuildException.class, () -> run(engines, List.of(app), hosts));

        assertThat(e.getMessage()).contains("(ssh://h2: the engine did not answer")
                .endsWith("; gave up after 3 attempts");
        assertThat(log).contains("[" + app.label() + "] retrying on another host in 2 s (attempt 3 of 3)");
        assertThat(hostAttribute(e.partial(), hosts[3])).containsEntry("status", "usable");
    }

    @Test
    void aBuildThatFailsOnAHealthyHostIsNotRetried() {
        BuildUnit app = unit("app", AMD64);
        FakeEngine first = new FakeEngine("ssh://first", AMD64, 1).failsBuilding(app.localTag());
        FakeEngine second = new FakeEngine("ssh://second", AMD64, 1);

        Engines engines = FakeEngine.engines(first, second);
        BuildException e = catchThrowableOfType(BuildException.class, () -> run(engines, List.of(app), first,
                second));

        assertThat(e.getMessage()).isEqualTo("building " + app.label() + " failed: ERROR: process \"/bin/sh -c"
                + " false\" did not complete successfully: exit code: 1");
        assertThat(second.built()).isEmpty();
        assertThat(log).noneMatch(l -> l.contains("retrying"));
        assertThat(hostAttribute(e.partial(), first)).containsEntry("status", "usable");
    }

    @Test
    void aPushTheRegistryRefusesIsNotRetried() {
        BuildUnit app = unit("app", AMD64);
        FakeEngine first = new FakeEngine("ssh://first", AMD64, 1).refusesPushes();
        FakeEngine second = new FakeEngine("ssh://second", AMD64, 1);

        Engines engines = FakeEngine.engines(first, second);
        BuildException e = catchThrowableOfType(BuildException.class, () -> run(engines, List.of(app), first,
                second));

        assertThat(e.getMessage()).isEqualTo("pushing " + app.reference()
                + " failed: denied: requested access to the resource is denied");
        assertThat(first.built()).containsExactly(app.localTag());
        assertThat(second.built()).isEmpty();
        assertThat(hostAttribute(e.partial(), first)).containsEntry("status", "usable");
    }

    @Test
    void anUnreachableHostIsLeftOutAndTheOtherBuildsEverything() throws Exception {
        List<BuildUnit> all = List.of(unit("a", AMD64), unit("b", AMD64));
        FakeEngine gone = new FakeEngine("ssh://gone", AMD64, 2).unreachable();
        FakeEngine there = new FakeEngine("ssh://there", AMD64, 2);

        BuildOutcome outcome = run(FakeEngine.engines(gone, there), all, gone, there);

        assertThat(there.built()).containsExactlyInAnyOrderElementsOf(all.stream().map(BuildUnit::localTag).toList());
        assertThat(hostAttribute(outcome, gone)).containsEntry("status", "unreachable")
                .containsEntry("error", "cannot connect to ssh://gone: Connection refused");
    }

    @Test
    void twoRunsSharingSlotsNeverRunMoreUnitsOnAHostThanItsSlots() throws Exception {
        HostSlots shared = new HostSlots();
        FakeEngine big = new FakeEngine("ssh://big", AMD64, 2).buildsFor(Duration.ofMillis(300));
        FakeEngine small = new FakeEngine("ssh://small", AMD64, 1).buildsFor(Duration.ofMillis(300));
        List<BuildUnit> mine = IntStream.range(0, 4).mapToObj(i -> unit("mine" + i, AMD64)).toList();
        List<BuildUnit> theirs = IntStream.range(0, 4).mapToObj(i -> unit("theirs" + i, AMD64)).toList();
        List<BuildHost> hosts = List.of(big.host, small.host);

        CompletableFuture<BuildOutcome> one = CompletableFuture.supplyAsync(() -> build(shared, mine, hosts, big,
                small));
        CompletableFuture<BuildOutcome> other = CompletableFuture.supplyAsync(() -> build(shared, theirs, hosts,
                big, small));
        one.join();
        other.join();

        assertThat(big.mostBuildsAtOnce()).isEqualTo(2);
        assertThat(small.mostBuildsAtOnce()).isEqualTo(1);
        List<String> built = new ArrayList<>(big.built());
        built.addAll(small.built());
        assertThat(built).hasSize(8);
        assertThat(shared.running("ssh://big")).isZero();
        assertThat(shared.running("ssh://small")).isZero();
        assertThat(log).anyMatch(l -> l.endsWith("build slots are taken by other builds; waiting for one"));
    }

    private BuildOutcome build(HostSlots shared, List<BuildUnit> units, List<BuildHost> hosts,
                               FakeEngine... engines) {
        try {
            return new PoolBuild(sink, new Cancellation(), shared, FakeEngine.engines(engines))
                    .run(hosts, units, REGISTRY, OPTIONS);
        } catch (BuildException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachManifestListJoinsThePlatformsOfItsOwnImage() throws Exception {
        FakeEngine amd = new FakeEngine("ssh://amd", AMD64, 2);
        FakeEngine arm = new FakeEngine("ssh://arm", ARM64, 2);
        List<BuildUnit> app = units("app", AMD64, ARM64);
        List<BuildUnit> lib = units("lib", ARM64, AMD64);
        BuildUnit tool = unit("tool", ARM64);
        List<BuildUnit> all = new ArrayList<>(app);
        all.addAll(lib);
        all.add(tool);

        BuildOutcome outcome = run(FakeEngine.engines(amd, arm), all, amd, arm);

        // each platform is built where it is native, and each list names the digests pushed from those hosts
        String appRepo = "127.0.0.1:5000/app@";
        String libRepo = "127.0.0.1:5000/lib@";
        assertThat(amd.manifestLists()).containsExactly(
                List.of(appRepo + FakeEngine.pushed("ssh://amd", app.get(0).reference()),
                        appRepo + FakeEngine.pushed("ssh://arm", app.get(1).reference())),
                List.of(libRepo + FakeEngine.pushed("ssh://arm", lib.get(0).reference()),
                        libRepo + FakeEngine.pushed("ssh://amd", lib.get(1).reference())));
        assertThat(arm.manifestLists()).isEmpty();

        Map<String, List<PushedImage>> byReference = outcome.images().stream()
                .collect(Collectors.groupingBy(PushedImage::reference));
        assertThat(byReference.get(app.get(0).reference())).extracting(PushedImage::platform, PushedImage::host)
                .containsExactlyInAnyOrder(tuple("linux/amd64", "ssh://amd"),
                        tuple("linux/arm64", "ssh://arm"));
        assertThat(byReference.get(app.get(0).reference())).extracting(PushedImage::manifestList).doesNotContainNull()
                .containsOnly(byReference.get(app.get(0).reference()).get(0).manifestList());
        assertThat(byReference.get(lib.get(0).reference()).get(0).manifestList())
                .isNotEqualTo(byReference.get(app.get(0).reference()).get(0).manifestList());
        // an image of one platform is pushed as it is, in no list
        assertThat(byReference.get(tool.reference())).singleElement().satisfies(i -> {
            assertThat(i.manifestList()).isNull();
            assertThat(i.digest()).isEqualTo(FakeEngine.pushed("ssh://arm", tool.reference()));
        });
        assertThat(log).contains("pushed " + tool.reference() + "@" + FakeEngine.pushed("ssh://arm",
                tool.reference()) + " (linux/arm64)");
    }
}
