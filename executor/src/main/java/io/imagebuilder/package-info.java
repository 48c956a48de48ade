/**
 * The facade the command line and the REST server call: load and check a blueprint, plan it, deploy and undeploy
 * it, and build images from a build_params document (which becomes a blueprint deployment). Nothing below this
 * package knows about the edges.
 */
package io.imagebuilder;
