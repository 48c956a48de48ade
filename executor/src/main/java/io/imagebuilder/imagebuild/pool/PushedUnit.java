package io.imagebuilder.imagebuild.pool;

/** A unit in the registry: the digest it was pushed under, from the host that built it. */
record PushedUnit(String digest, PoolHost host) {
}
