package io.imagebuilder.deploy.ansible;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes operation inputs as Ansible extra vars: JSON syntax in which every string value carries YAML's
 * {@code !unsafe} tag, that is a YAML flow document (Ansible reads extra vars files with its YAML loader).
 * {@link InventoryWriter} writes the host variables of the inventory the same way.
 * <p>
 * The tag matters: Ansible evaluates Jinja2 in the strings of extra vars, so an input holding {@code {{ … }}} or
 * {@code {% … %}} (a password can) would otherwise be evaluated, or fail the play, instead of being passed as
 * written. Unsafe strings are used as they are and stay unsafe through templates that use them.
 * <p>
 * Strings are escaped to printable ASCII ({@code \\uXXXX}, {@code \\UXXXXXXXX} beyond the basic plane), which
 * both libyaml and PyYAML read back exactly.
 */
final class ExtraVars {

    private ExtraVars() {
    }

    static String toDocument(Map<String, Object> inputs) {
        StringBuilder out = new StringBuilder(256);
        writeMap(inputs, out, "", true);
        out.append('\n');
        return out.toString();
    }

    /** One value at {@code indent}: the writer of extra vars, also used for the values of the inventory. */
    static void write(Object value, StringBuilder out, String indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            out.append("!unsafe ");
            quote(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) out.append(".nan");
            else if (Double.isInfinite(d)) out.append(d > 0 ? ".inf" : "-.inf");
            else out.append(Double.toString(d).replace("E", "e"));
        } else if (value instanceof Number n) {
            out.append(n.toString());
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, out, indent, false);
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            String inner = indent + "  ";
            for (Iterator<?> it = list.iterator(); it.hasNext(); ) {
                out.append(inner);
                write(it.next(), out, inner);
                if (it.hasNext()) out.append(',');
                out.append('\n');
            }
            out.append(indent).append(']');
        } else {
            // resolved values are plain; anything else is passed as its text
            out.append("!unsafe ");
            quote(String.valueOf(value), out);
        }
    }

    private static void writeMap(Map<?, ?> map, StringBuilder out, String indent, boolean top) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append("{\n");
        String inner = indent + "  ";
        for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<?, ?> e = it.next();
            out.append(inner);
            quote(String.valueOf(e.getKey()), out);
            out.append(": ");
            write(e.getValue(), out, inner);
            if (it.hasNext()) out.append(',');
            out.append('\n');
        }
        out.append(indent).append('}');
    }

    /** A YAML double-quoted scalar (also a JSON string when only ASCII and \\u escapes occur). */
    static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (cp >= 0x20 && cp < 0x7f) {
                        out.append((char) cp);
                    } else if (cp <= 0xffff) {
                        out.append(String.format("\\u%04x", cp));
                    } else {
                        out.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        out.append('"');
    }
}
