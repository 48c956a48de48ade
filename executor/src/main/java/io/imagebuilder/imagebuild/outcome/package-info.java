/**
 * What a build ends with: the images pushed with their digests, or the failure, with what was done before it.
 */
package io.imagebuilder.imagebuild.outcome;
