/**
 * A registry's HTTP API (distribution spec), read without a Docker engine: which platforms an image has, and the
 * digest each has now.
 */
package io.imagebuilder.imagebuild.registry;
