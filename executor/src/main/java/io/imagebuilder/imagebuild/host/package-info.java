/**
 * A build host: the Docker engine reached over one held SSH connection, the docker client that talks to it, its
 * probe (version, platforms), and the credential helper that keeps registry passwords out of files.
 */
package io.imagebuilder.imagebuild.host;
