/**
 * The build_params document: parsed and checked with input paths, into immutable values (source, target registry,
 * image variants, platforms, credentials).
 */
package io.imagebuilder.imagebuild.params;
