package io.imagebuilder.imagebuild.source;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict host key checking against one known_hosts file: a host is accepted only when the file lists exactly the
 * key it presents. Unlike JGit's default database this ignores StrictHostKeyChecking, never asks, and never
 * writes the file, so an unknown or changed key always fails the connection.
 */
final class KnownHostsDatabase implements ServerKeyDatabase {

    private static final String REVOKED = "revoked";

    private final Path file;
    private volatile String rejection;

    KnownHostsDatabase(Path file) {
        this.file = file;
    }

    /** Why the last host key was refused, for the user; null when none was. */
    String rejection() {
        return rejection;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        List<PublicKey> keys = new ArrayList<>();
        for (Known known : entriesFor(connectAddress, remoteAddress)) {
            if (!known.revoked()) keys.add(known.key());
        }
        return keys;
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                          Configuration config, CredentialsProvider provider) {
        String host = hostName(remoteAddress);
        List<Known> entries;
        try {
            entries = read();
        } catch (NoSuchFileException e) {
            rejection = "host key verification failed for " + host + ": the known_hosts file " + file
                    + " does not exist";
            return false;
        } catch (IOException e) {
            rejection = "host key verification failed for " + host + ": cannot read the known_hosts file " + file
                    + " (" + e.getMessage() + ")";
            return false;
        }
        boolean hostListed = false;
        for (Known known : matching(entries, connectAddress, remoteAddress)) {
            hostListed = true;
            if (KeyUtils.compareKeys(known.key(), serverKey)) {
                if (known.revoked()) {
                    rejection = "host key verification failed for " + host + ": its key is marked as revoked in "
                            + file;
                    return false;
                }
                return true;
            }
        }
        rejection = "host key verification failed for " + host + ": "
                + (hostListed ? "its key differs from the one listed in " : "its key is not listed in ")
                + "the known_hosts file " + file + " (" + serverKey.getAlgorithm() + " key "
                + KeyUtils.getFingerPrint(serverKey) + ")";
        return false;
    }

    private record Known(KnownHostEntry entry, PublicKey key, boolean revoked) {
    }

    private List<Known> entriesFor(String connectAddress, InetSocketAddress remoteAddress) {
        try {
            return matching(read(), connectAddress, remoteAddress);
        } catch (IOException e) {
            return List.of();
        }
    }

    private List<Known> read() throws IOException {
        List<KnownHostEntry> entries = KnownHostEntry.readKnownHostEntries(file);
        List<Known> known = new ArrayList<>();
        if (entries == null) return known;
        for (KnownHostEntry entry : entries) {
            AuthorizedKeyEntry keyEntry = entry.getKeyEntry();
            // a @cert-authority line holds a CA's key, never a host's own key; certificates are not supported
            boolean otherMarker = entry.getMarker() != null && !REVOKED.equals(entry.getMarker());
            if (keyEntry == null || otherMarker) continue;
            try {
                PublicKey key = keyEntry.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
                if (key != null) known.add(new Known(entry, key, REVOKED.equals(entry.getMarker())));
            } catch (GeneralSecurityException | IOException e) {
                // a line with an unsupported or broken key cannot match any host; the others still count
            }
        }
        return known;
    }

    private static List<Known> matching(List<Known> entries, String connectAddress, InetSocketAddress remote) {
        List<Known> out = new ArrayList<>();
        HostPort connect = HostPort.parse(connectAddress, remote.getPort());
        for (Known known : entries) {
            KnownHostEntry e = known.entry();
            if (e.isHostMatch(remote.getHostString(), remote.getPort())
                    || (connect != null && e.isHostMatch(connect.host(), connect.port()))) {
                out.add(known);
            }
        }
        return out;
    }

    private static String hostName(InetSocketAddress remote) {
        return remote.getHostString() + (remote.getPort() == 22 ? "" : ":" + remote.getPort());
    }

    /** JGit's connect address: {@code host}, {@code host:port} or {@code [host]:port}. */
    private record HostPort(String host, int port) {
        static HostPort parse(String address, int defaultPort) {
            if (address == null || address.isEmpty()) return null;
            try {
                if (address.charAt(0) == '[') {
                    int end = address.indexOf(']');
                    if (end <= 1) return null;
                    String host = address.substring(1, end);
                    boolean hasPort = end + 1 < address.length() && address.charAt(end + 1) == ':';
                    return new HostPort(host, hasPort ? Integer.parseInt(address.substring(end + 2)) : defaultPort);
                }
                int colon = address.lastIndexOf(':');
                if (colon > 0 && address.indexOf(':') == colon) {
                    return new HostPort(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
                }
                return new HostPort(address, defaultPort);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
