package io.imagebuilder.server.hooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies with an owner's secret: HMAC-SHA256 over {@code TIMESTAMP.BODY}, so that a receiver can
 * refuse both forged bodies and old bodies sent again. The secret never leaves this object, not even in toString.
 */
public final class Signer {

    private static final String HMAC = "HmacSHA256";

    private final byte[] secret;

    public Signer(byte[] secret) {
        if (secret.length == 0) throw new IllegalArgumentException("the signing secret is empty");
        this.secret = secret.clone();
    }

    /** The value of the signature header: {@code sha256=} and the hex HMAC of the timestamp, a dot and the body. */
    public String sign(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "Signer[secret hidden]";
    }
}
