/**
 * The steps of one build unit (log in, build, push, push a manifest list, remove images), each a small class run
 * by the pipeline.
 */
package io.imagebuilder.imagebuild.steps;
