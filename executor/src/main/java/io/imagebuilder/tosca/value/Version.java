package io.imagebuilder.tosca.value;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TOSCA version {@code <major>.<minor>[.<fix>[.<qualifier>[-<build>]]]}.
 *
 * <p>An absent fix or build is stored as 0, as TOSCA treats "2.0" and "2.0.0" as the same version;
 * this keeps {@code equals} consistent with {@code compareTo}. {@code qualifier} is null when absent.
 */
public record Version(int major, int minor, int fix, String qualifier, int build)
        implements Comparable<Version> {

    static final String EXAMPLE = "1.0.2.beta-3";

    private static final Pattern QUALIFIER = Pattern.compile("[A-Za-z0-9]+");
    private static final Pattern TEXT = Pattern.compile(
            "([0-9]+)\\.([0-9]+)(?:\\.([0-9]+)(?:\\.([A-Za-z0-9]+)(?:-([0-9]+))?)?)?");
    private static final Comparator<Version> ORDER = Comparator.comparingInt(Version::major)
            .thenComparingInt(Version::minor)
            .thenComparingInt(Version::fix)
            .thenComparing(Version::qualifier, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(Version::build);

    public Version {
        if (major < 0 || minor < 0 || fix < 0 || build < 0) {
            throw new IllegalArgumentException("version numbers must not be negative");
        }
        if (qualifier != null && !QUALIFIER.matcher(qualifier).matches()) {
            throw new IllegalArgumentException("a version qualifier must be alphanumeric: " + qualifier);
        }
        if (qualifier == null && build != 0) {
            throw new IllegalArgumentException("a version build number needs a qualifier");
        }
    }

    public static Version parse(String text) throws ValueException {
        Objects.requireNonNull(text, "text");
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw failure(text, "");
        }
        try {
            return new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    optional(m.group(3)), m.group(4), optional(m.group(5)));
        } catch (NumberFormatException e) {
            throw failure(text, " (a version number is too large)");
        }
    }

    /** Accepts text, or the integer or float that YAML makes of an unquoted "2" or "1.0". */
    static Version coerce(Object raw) throws ValueException {
        if (raw instanceof Version version) {
            return version;
        }
        if (raw instanceof String text) {
            return parse(text);
        }
        if (Describe.isInteger(raw) && ((Number) raw).longValue() >= 0) {
            return parseNumber(raw, raw + ".0");
        }
        if (raw instanceof Double d && Double.isFinite(d)) {
            return parseNumber(raw, BigDecimal.valueOf(d).toPlainString());
        }
        throw failure(raw, "");
    }

    private static Version parseNumber(Object raw, String text) throws ValueException {
        try {
            return parse(text);
        } catch (ValueException e) {
            throw failure(raw, "");
        }
    }

    @Override
    public int compareTo(Version other) {
        return ORDER.compare(this, other);
    }

    /** The normalised text: a zero fix is left out unless a qualifier follows, a zero build always. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(major).append('.').append(minor);
        if (fix != 0 || qualifier != null) {
            text.append('.').append(fix);
        }
        if (qualifier != null) {
            text.append('.').append(qualifier);
            if (build != 0) {
                text.append('-').append(build);
            }
        }
        return text.toString();
    }

    private static int optional(String digits) {
        return digits == null ? 0 : Integer.parseInt(digits);
    }

    private static ValueException failure(Object raw, String detail) {
        return new ValueException("expected a version such as \"" + EXAMPLE + "\", got "
                + Describe.text(raw) + detail);
    }
}
