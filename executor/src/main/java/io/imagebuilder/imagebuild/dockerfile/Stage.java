package io.imagebuilder.imagebuild.dockerfile;

/**
 * One build stage: what its FROM says, as written.
 *
 * @param index 0-based position among the stages
 * @param image the base image, or the name of an earlier stage it builds on, as written (it may use variables,
 *     such as {@code ${BASE}})
 * @param name the {@code AS} name as written, or null; stage names are compared case-insensitively
 * @param platformFlag the value of {@code --platform} as written (such as {@code $BUILDPLATFORM}), or null
 * @param line the 1-based line the FROM starts on
 */
public record Stage(int index, String image, String name, String platformFlag, int line) {
}
