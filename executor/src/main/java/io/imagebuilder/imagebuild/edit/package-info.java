/**
 * Images edited in their registry without a Docker engine (source.image): a layer of files added and the
 * configuration changed, for every platform the image has, with jib-core.
 */
package io.imagebuilder.imagebuild.edit;
