/**
 * A Dockerfile parser that keeps source positions, and the edits a build makes (the base image of a variant)
 * without touching anything else.
 */
package io.imagebuilder.imagebuild.dockerfile;
