/**
 * A build's lock: exactly what it was made from (the base images' digests per platform, git commits, downloads'
 * hashes, the Dockerfile's digest, build arguments, secrets by name, engine and executor versions), written as
 * {@code image-builder.lock.json}, and checked again against the world by {@code verify}.
 */
package io.imagebuilder.imagebuild.lock;
