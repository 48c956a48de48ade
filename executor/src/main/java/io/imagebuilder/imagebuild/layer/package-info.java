/**
 * Images described as layers (build_params' layers, OpenCHAMI's way): what each layer's build context and
 * Dockerfile are made of.
 */
package io.imagebuilder.imagebuild.layer;
