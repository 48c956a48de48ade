package io.imagebuilder.imagebuild.pool;

/**
 * Why a unit was not built and pushed, told apart where it happened so that the scheduler decides from the kind
 * alone: a unit whose host was lost is built elsewhere, any other failure fails the run.
 *
 * @param message as the user reads it, the failing step's own words
 * @param hostProblem why the host is no longer used, for the kinds that lose it; null otherwise
 */
record UnitFailure(Kind kind, String message, String hostProblem) {

    enum Kind {
        /** The connection dropped or the engine stopped answering while the unit ran. */
        HOST_LOST,
        /** The engine took longer to answer its probe than an engine at work does. */
        TIMED_OUT,
        /** The build itself failed on a healthy host, a failing RUN step say; it would fail anywhere. */
        BUILD_FAILED,
        /** The registry did not take the image from a healthy host; another host would fare no better. */
        REGISTRY_REFUSED,
        CANCELLED;

        boolean losesHost() {
            return this == HOST_LOST || this == TIMED_OUT;
        }
    }

    static UnitFailure hostLost(String message, String why) {
        return new UnitFailure(Kind.HOST_LOST, message, why);
    }

    static UnitFailure timedOut(String message, String why) {
        return new UnitFailure(Kind.TIMED_OUT, message, why);
    }

    static UnitFailure buildFailed(String message) {
        return new UnitFailure(Kind.BUILD_FAILED, message, null);
    }

    static UnitFailure registryRefused(String message) {
        return new UnitFailure(Kind.REGISTRY_REFUSED, message, null);
    }

    static UnitFailure cancelled(String message) {
        return new UnitFailure(Kind.CANCELLED, message, null);
    }

    boolean losesHost() {
        return kind.losesHost();
    }
}
