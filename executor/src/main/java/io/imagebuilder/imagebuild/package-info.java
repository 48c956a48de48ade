/**
 * Building images on remote Docker engines: the pipeline that fetches the source, plans one unit per image
 * variant and platform, and builds and pushes them on the build hosts.
 */
package io.imagebuilder.imagebuild;
