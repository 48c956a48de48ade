package io.imagebuilder.tosca.value;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the YAML 1.1 timestamp format that TOSCA refers to. YAML 1.2 loaders leave these as
 * strings, so the format is recognised here rather than by the loader.
 */
final class Timestamps {
    static final String EXAMPLE = "2001-12-14T21:59:43.10-05:00";

    private static final Pattern DATE = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})");
    private static final Pattern DATE_TIME = Pattern.compile(
            "([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
                    + "(?:[Tt]|[ \\t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})"
                    + "(?:\\.([0-9]*))?"
                    + "(?:[ \\t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?");
    private static final int NANO_DIGITS = 9;

    private Timestamps() {
    }

    static Instant coerce(Object raw) throws ValueException {
        if (raw instanceof Instant instant) {
            return instant;
        }
        if (!(raw instanceof String text)) {
            throw failure(raw, "");
        }
        try {
            Matcher date = DATE.matcher(text);
            if (date.matches()) {
                // A bare date means midnight UTC, as in YAML 1.1.
                return LocalDate.of(number(date, 1), number(date, 2), number(date, 3))
                        .atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            Matcher full = DATE_TIME.matcher(text);
            if (full.matches()) {
                LocalDateTime local = LocalDateTime.of(number(full, 1), number(full, 2), number(full, 3),
                        number(full, 4), number(full, 5), number(full, 6), nanos(full.group(7)));
                return local.toInstant(offset(full));
            }
        } catch (DateTimeException e) {
            throw failure(raw, " (no such date, time or time zone)");
        }
        throw failure(raw, "");
    }

    private static int number(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    private static int nanos(String fraction) {
        if (fraction == null || fraction.isEmpty()) {
            return 0;
        }
        // Digits beyond nanoseconds cannot be represented; they are dropped rather than rounded.
        String digits = fraction.length() > NANO_DIGITS ? fraction.substring(0, NANO_DIGITS) : fraction;
        return Integer.parseInt(digits + "0".repeat(NANO_DIGITS - digits.length()));
    }

    private static ZoneOffset offset(Matcher m) {
        if (m.group(8) == null || m.group(8).equals("Z")) {
            return ZoneOffset.UTC;
        }
        int sign = m.group(9).equals("-") ? -1 : 1;
        int hours = Integer.parseInt(m.group(10));
        int minutes = m.group(11) == null ? 0 : Integer.parseInt(m.group(11));
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }

    private static ValueException failure(Object raw, String detail) {
        return new ValueException("expected a timestamp such as \"" + EXAMPLE + "\", got "
                + Describe.text(raw) + detail);
    }
}
