package io.imagebuilder.server.hooks;

import java.net.URI;

/** Where the state changes of an owner's jobs are posted, and the signer of their bodies. */
public record Endpoint(String owner, URI url, Signer signer) {
}
