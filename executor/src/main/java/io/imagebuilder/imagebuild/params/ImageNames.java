package io.imagebuilder.imagebuild.params;

import io.imagebuilder.imagebuild.dockerfile.ImageReference;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Quote;
import io.imagebuilder.yaml.YNode;

import java.util.regex.Pattern;

/** Image names, tags and base references, checked against Docker's reference grammar. */
final class ImageNames {

    /** Docker's {@code tag := [\w][\w.-]{0,127}}. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private ImageNames() {
    }

    /**
     * {@code image} names a repository only: the tag has its own field, and a digest cannot be pushed to. Both
     * are named explicitly because "repo:1.0" in the image field is a common slip.
     */
    static void checkRepository(String image, YNode at, String path, Problems problems) {
        if (!ImageReference.isValid(image)) {
            problems.add(at, path + ": " + Quote.of(image) + " is not a valid repository name; expected lower-case "
                    + "path components separated by \"/\", optionally after registry-host[:port]/");
            return;
        }
        ImageReference reference = ImageReference.parse(image);
        if (reference.digest() != null) {
            problems.add(at, path + ": " + Quote.of(image) + " includes a digest; give only the repository name");
        } else if (reference.tag() != null) {
            problems.add(at, path + ": " + Quote.of(image) + " includes a tag; give only the repository name and the "
                    + "tag in the tag field");
        }
    }

    static void checkTag(String tag, YNode at, String path, Problems problems) {
        if (!TAG.matcher(tag).matches()) {
            problems.add(at, path + ": " + Quote.of(tag) + " is not a valid tag; expected up to 128 letters, digits, "
                    + "\"_\", \".\" and \"-\", not starting with \".\" or \"-\"");
        }
    }

    /** ImageReference says what is wrong, e.g. that the repository name must be lower-case. */
    static void checkReference(String base, YNode at, String path, Problems problems) {
        try {
            ImageReference.parse(base);
        } catch (IllegalArgumentException e) {
            problems.add(at, path + ": " + e.getMessage());
        }
    }
}
