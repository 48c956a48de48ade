/**
 * Fetching a build's source: git repositories (JGit), Dockerfile URLs, tar archives, build contexts and local
 * paths, within size limits, with credentials kept out of messages.
 */
package io.imagebuilder.imagebuild.source;
