/**
 * Spreading build units over several build hosts: connecting them, slots per host, scheduling, retries on another
 * host, and manifest lists of the per-platform images.
 */
package io.imagebuilder.imagebuild.pool;
