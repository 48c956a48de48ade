package io.imagebuilder.secret;

import java.util.regex.Pattern;

/**
 * Names that say their value is a secret, wherever a name is seen: TOSCA inputs, properties and map keys,
 * operation inputs, fields of a REST request.
 */
public final class SecretNames {

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|passphrase|secret|token|api_?key|private_key_data|credential).*");

    private SecretNames() {
    }

    public static boolean isSecret(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }
}
