/**
 * Where TOSCA meets the build pipeline: the built-in operations of the image types of {@code library/}, the checks
 * of {@code build_params} in a topology, and the {@code build} command's conversion of a build_params document into
 * a deployment of the image blueprint. Neither side knows the other; only this package knows both.
 */
package io.imagebuilder.imagenode;
