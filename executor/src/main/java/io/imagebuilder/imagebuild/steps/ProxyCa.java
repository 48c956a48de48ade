package io.imagebuilder.imagebuild.steps;

import io.imagebuilder.imagebuild.dockerfile.Dockerfile;
import io.imagebuilder.imagebuild.dockerfile.DockerfileException;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.imagebuild.params.BuildSecret;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * build_params' {@code proxy_ca}: a CA bundle that every RUN step trusts, for builds behind a TLS-intercepting
 * proxy, without editing the user's Dockerfile and without the bundle reaching a layer. A rewritten copy of the
 * Dockerfile mounts it as a BuildKit secret on each RUN and points TLS clients at it through ARGs, which RUN sees as
 * environment variables but the image's configuration does not keep.
 *
 * <p>The bundle is not mounted over the system's own (/etc/ssl/certs/ca-certificates.crt): a read-only mount there
 * makes update-ca-certificates, and so the installation of ca-certificates, fail.
 */
public final class ProxyCa {

    public static final String ID = BuildSecret.RESERVED_PREFIX + "proxy-ca";
    public static final String APT_ID = BuildSecret.RESERVED_PREFIX + "apt-ca";
    static final String PATH = "/run/secrets/" + ID;
    static final String APT_PATH = "/run/secrets/" + APT_ID;
    /**
     * OpenSSL's (and so apk's, wget's and Python's ssl module's), curl's, git's, pip's, Python requests' and Node's
     * way to be given a CA bundle; APT_CONFIG names a file of apt options, which sets apt's.
     */
    static final List<String> VARIABLES = List.of("SSL_CERT_FILE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "PIP_CERT",
            "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS");
    private static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----";
    private static final String PRIVATE_KEY = "PRIVATE KEY-----";

    private ProxyCa() {
    }

    /** The Dockerfile with the bundle mounted on every RUN and the variables declared in every stage. */
    public static Dockerfile apply(Dockerfile dockerfile) throws DockerfileException {
        List<String> args = new java.util.ArrayList<>();
        VARIABLES.forEach(v -> args.add("ARG " + v + "=" + PATH));
        args.add("ARG APT_CONFIG=" + APT_PATH);
        return dockerfile.withLinesAfterEachFrom(args)
                .withRunFlag("--mount=type=secret,id=" + ID + " --mount=type=secret,id=" + APT_ID);
    }

    /** The bundle's bytes, refused unless it holds a certificate and no private key. */
    static byte[] read(String file) throws BuildException {
        byte[] bytes = SecretFiles.readFile(Path.of(file), "proxy_ca");
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (text.contains(PRIVATE_KEY)) {
            throw new BuildException("proxy_ca: " + file + " holds a private key; give only the CA's certificates");
        }
        if (!text.contains(CERTIFICATE)) {
            throw new BuildException("proxy_ca: " + file + " holds no PEM certificate (\"" + CERTIFICATE + "\")");
        }
        return bytes;
    }

    static byte[] aptConfig() {
        return ("Acquire::https::CaInfo \"" + PATH + "\";\n").getBytes(StandardCharsets.US_ASCII);
    }
}
