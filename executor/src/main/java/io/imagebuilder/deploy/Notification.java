package io.imagebuilder.deploy;

import io.imagebuilder.problem.InvalidInputException;
import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.ValueLength;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code notify} was told: the contents of a notification file (from monitoring, say), given to every operation
 * the trigger runs as the input {@code notification}, as xOpera's {@code opera notify --notification} does.
 */
public record Notification(Path file, String contents) {

    public static final String INPUT = "notification";

    /** The file as text; like any string value, at most {@link ValueLength#MAX} characters of UTF-8. */
    public static Notification read(Path file) {
        Location at = Location.file(file.toString());
        try {
            if (Files.size(file) > 4L * ValueLength.MAX) throw invalid(at, "the notification file is too large");
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
            String tooLong = ValueLength.problem("the notification file", text);
            if (tooLong != null) throw invalid(at, tooLong);
            return new Notification(file, text);
        } catch (CharacterCodingException e) {
            throw invalid(at, "the notification file is not UTF-8 text");
        } catch (IOException e) {
            throw invalid(at, "cannot read the notification file: " + e.getMessage());
        }
    }

    private static InvalidInputException invalid(Location at, String message) {
        return new InvalidInputException("reading the notification", List.of(Problem.at(at, message)));
    }
}
