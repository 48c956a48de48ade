package io.imagebuilder.exec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CancellationTest {

    private static Process sleeper() throws Exception {
        return new ProcessBuilder(List.of("sleep", "60")).start();
    }

    @Test
    void cancellingStopsTheProcessesRunningUnderIt() throws Exception {
        Cancellation c = new Cancellation();
        Process p = sleeper();
        assertThat(c.register(p::destroy)).isTrue();
        c.cancel();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(c.isCancelled()).isTrue();
        assertThat(c.register(() -> { })).as("nothing starts once cancelled").isFalse();
    }

    @Test
    void aChildIsCancelledWithItsParent() {
        Cancellation parent = new Cancellation();
        Cancellation child = parent.child();
        parent.cancel();
        assertThat(child.isCancelled()).isTrue();
    }

    @Test
    void aChildCancelledAloneLeavesItsParentRunning() {
        Cancellation parent = new Cancellation();
        Cancellation child = parent.child();
        child.cancel();
        assertThat(child.isCancelled()).isTrue();
        assertThat(parent.isCancelled()).isFalse();
    }

    @Test
    void aDetachedChildNoLongerFollowsItsParent() {
        Cancellation parent = new Cancellation();
        Cancellation child = parent.child();
        child.detach();
        parent.cancel();
        assertThat(child.isCancelled()).isFalse();
    }

    @Test
    void aChildOfACancelledParentStartsCancelled() {
        Cancellation parent = new Cancellation();
        parent.cancel();
        assertThat(parent.child().isCancelled()).isTrue();
    }
}
