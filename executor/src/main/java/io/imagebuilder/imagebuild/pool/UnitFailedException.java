package io.imagebuilder.imagebuild.pool;

/** A unit failed; {@link #failure()} says whose fault it was. */
final class UnitFailedException extends Exception {

    private final transient UnitFailure failure;

    UnitFailedException(UnitFailure failure, Throwable cause) {
        super(failure.message(), cause);
        this.failure = failure;
    }

    UnitFailure failure() {
        return failure;
    }
}
