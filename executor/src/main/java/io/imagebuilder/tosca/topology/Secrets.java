package io.imagebuilder.tosca.topology;

import io.imagebuilder.secret.Redactor;
import io.imagebuilder.secret.SecretNames;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YScalar;
import io.imagebuilder.yaml.YSeq;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Remembers which values are secrets: values of secret inputs and properties, and anything computed from them
 * (tracked by identity, because values are shared, not copied, as functions resolve).
 */
public final class Secrets {

    public static final String MASK = Redactor.MASK;

    private final Set<YNode> secret = Collections.newSetFromMap(new IdentityHashMap<>());

    public void mark(YNode value) {
        if (value != null) secret.add(value);
    }

    public boolean isSecret(YNode value) {
        return value != null && secret.contains(value);
    }

    /** The value as it may be shown: secret values, and members under secret-sounding keys, become "****". */
    public Object masked(YNode value) {
        if (value == null) return null;
        if (isSecret(value)) return MASK;
        if (value instanceof YSeq seq) {
            List<Object> out = new java.util.ArrayList<>();
            for (YNode item : seq.items()) out.add(masked(item));
            return out;
        }
        if (value instanceof YMap map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.entries().forEach((k, v) -> out.put(k, SecretNames.isSecret(k) && !isEmpty(v) && !isCall(v)
                    ? MASK : masked(v)));
            return out;
        }
        return ((YScalar) value).value();
    }

    /** Masks a value known by name, such as an operation input called "password". */
    public Object masked(String name, YNode value) {
        if (SecretNames.isSecret(name) && value != null && !isEmpty(value)) return MASK;
        return masked(value);
    }

    private static boolean isEmpty(YNode v) {
        return v instanceof YScalar s && (s.value() == null || "".equals(s.value()));
    }

    private static boolean isCall(YNode v) {
        return io.imagebuilder.tosca.syntax.FunctionNames.isCall(v);
    }
}
