package io.imagebuilder.imagebuild.source;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.ssh.SshIdentity;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Clones a git repository and checks out one version, detached. A branch, a tag or HEAD is fetched alone with
 * depth 1; a commit id needs the full history, since a server will not hand out an arbitrary commit by id.
 */
final class CloneGitStep {

    static final String ACCEPTED = "https, http, ssh, git, file, and scp-like user@host:path";

    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{4,40}");
    /** Read timeout of every connection, in seconds: a stalled server fails the fetch instead of hanging it. */
    private static final int TIMEOUT_SECONDS = 120;
    /** Some servers refuse basic auth with an empty user name; any name goes with a token as the password. */
    private static final String TOKEN_USER = "git";

    private final LineSink log;
    private final Cancellation cancellation;
    private final SshIdentity ssh;

    CloneGitStep(LineSink log, Cancellation cancellation, SshIdentity ssh) {
        this.log = log;
        this.cancellation = cancellation;
        this.ssh = ssh;
    }

    /**
     * Clones {@code url} into {@code target} (which must not exist yet) and checks out {@code version}.
     *
     * @param field where the URL came from, for messages ({@code git_repo.url})
     * @param sshDirectory a private directory for the SSH client, created only when the URL is an SSH one
     * @return the checked-out commit
     */
    CheckedOut run(String url, Credentials credentials, String version, String field, Path target, Path sshDirectory)
            throws SourceException, InterruptedException {
        RemoteUrl remote = RemoteUrl.parse(url, field).requireScheme(RemoteUrl.GIT_SCHEMES, true, field, ACCEPTED);
        Credentials creds = remote.credentials(credentials);
        String v = version == null || version.isBlank() ? Constants.HEAD : version.trim();
        log.line("cloning " + remote.display() + " (version " + v + ")");
        checkCancelled();

        SshConnections connections = null;
        try {
            if (remote.ssh()) {
                if (ssh == null || ssh.privateKey() == null || ssh.knownHosts() == null) {
                    throw new SourceException(field + " " + remote.display() + " is an SSH address, but no SSH key"
                            + " and known_hosts file are configured for cloning");
                }
                String files = ssh.problem();
                if (files != null) throw new SourceException("cannot clone " + remote.display() + ": " + files);
                try {
                    connections = new SshConnections(ssh, sshDirectory);
                } catch (IOException e) {
                    throw new SourceException("cannot set up the SSH client: " + e.getMessage());
                }
            }
            Remote r = new Remote(remote, creds, Redaction.of(remote, creds), connections);
            try (Git git = init(target)) {
                Map<String, Ref> refs = listRefs(git, r);
                checkCancelled();
                Wanted wanted = wanted(refs, v, remote);
                RevCommit commit = fetchAndCheckOut(git, r, wanted, v);
                log.line("checked out commit " + commit.abbreviate(12).name() + " (version " + v + ")");
                return new CheckedOut(commit.name(), Instant.ofEpochSecond(commit.getCommitTime()));
            }
        } finally {
            if (connections != null) connections.close();
        }
    }

    /**
     * The commit {@code version} names in the repository now, as its refs say without fetching anything: the
     * branch, tag (peeled) or HEAD of that name, or for a commit id, that commit when a ref points at it. Null when
     * nothing does.
     *
     * @param scratch a directory that does not exist yet, for the empty repository the listing runs from
     */
    String currentCommit(String url, String version, String field, Path scratch)
            throws SourceException, InterruptedException {
        RemoteUrl remote = RemoteUrl.parse(url, field).requireScheme(RemoteUrl.GIT_SCHEMES, true, field, ACCEPTED);
        Credentials creds = remote.credentials(Credentials.NONE);
        Remote r = new Remote(remote, creds, Redaction.of(remote, creds), null);
        try (Git git = init(scratch)) {
            Map<String, Ref> refs = listRefs(git, r);
            String v = version == null || version.isBlank() ? Constants.HEAD : version.trim();
            for (String name : List.of(v, Constants.R_HEADS + v, Constants.R_TAGS + v)) {
                Ref ref = refs.get(name);
                if (ref != null) return commitOf(ref).name();
            }
            return refs.values().stream().map(CloneGitStep::commitOf).map(ObjectId::name)
                    .filter(id -> id.startsWith(v.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
        }
    }

    private static ObjectId commitOf(Ref ref) {
        return ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
    }

    /** The commit checked out: its id, and its committer's time. */
    record CheckedOut(String commit, Instant committed) {
    }

    /** How to reach the remote, and what to mask in whatever it answers. */
    private record Remote(RemoteUrl url, Credentials credentials, Redaction redaction, SshConnections ssh) {
    }

    /** What to fetch: the refspecs, the local ref the version ends up in (null for a commit id), and depth. */
    private record Wanted(List<RefSpec> specs, String localRef, boolean shallow) {
    }

    private static Git init(Path target) throws SourceException {
        try {
            return Git.init().setDirectory(target.toFile()).call();
        } catch (GitAPIException | JGitInternalException e) {
            throw new SourceException("cannot create a repository in " + target + ": " + e.getMessage());
        }
    }

    /**
     * Lists the remote's refs from the new, empty repository: without a local repository (as
     * {@code Git.lsRemoteRepository()} runs) JGit's dumb HTTP transport fails with a NullPointerException.
     */
    private Map<String, Ref> listRefs(Git git, Remote r) throws SourceException, InterruptedException {
        try {
            return configure(git.lsRemote().setRemote(r.url().address()), r).callAsMap();
        } catch (GitAPIException | RuntimeException e) {
            throw failure(e, r);
        }
    }

    private static Wanted wanted(Map<String, Ref> refs, String version, RemoteUrl remote) throws SourceException {
        if (version.equals(Constants.HEAD)) {
            if (!refs.containsKey(Constants.HEAD)) {
                throw new SourceException("the repository " + remote.display() + " has no HEAD (is it empty?)");
            }
            String local = "refs/remotes/origin/HEAD";
            return new Wanted(List.of(new RefSpec("+HEAD:" + local)), local, true);
        }
        // as git clone --branch does: a branch first, then a tag; a full ref name is taken as it is
        for (String name : List.of(Constants.R_HEADS + version, Constants.R_TAGS + version, version)) {
            if (!name.startsWith(Constants.R_REFS) || !refs.containsKey(name)) continue;
            String local = name.startsWith(Constants.R_HEADS)
                    ? "refs/remotes/origin/" + name.substring(Constants.R_HEADS.length()) : name;
            return new Wanted(List.of(new RefSpec("+" + name + ":" + local)), local, true);
        }
        if (COMMIT_ID.matcher(version).matches()) {
            return new Wanted(List.of(new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
                    new RefSpec("+refs/tags/*:refs/tags/*")), null, false);
        }
        throw new SourceException("the repository " + remote.display() + " has no branch or tag named '" + version
                + "'" + available(refs));
    }

    private static String available(Map<String, Ref> refs) {
        TreeSet<String> branches = new TreeSet<>();
        TreeSet<String> tags = new TreeSet<>();
        for (String name : refs.keySet()) {
            if (name.startsWith(Constants.R_HEADS)) branches.add(name.substring(Constants.R_HEADS.length()));
            if (name.startsWith(Constants.R_TAGS) && !name.endsWith("^{}")) {
                tags.add(name.substring(Constants.R_TAGS.length()));
            }
        }
        StringBuilder out = new StringBuilder();
        if (!branches.isEmpty()) out.append("; branches: ").append(firstFew(branches));
        if (!tags.isEmpty()) out.append("; tags: ").append(firstFew(tags));
        return out.toString();
    }

    private static String firstFew(TreeSet<String> names) {
        List<String> few = new ArrayList<>(names).subList(0, Math.min(10, names.size()));
        return String.join(", ", few) + (names.size() > few.size() ? ", …" : "");
    }

    private RevCommit fetchAndCheckOut(Git git, Remote r, Wanted wanted, String version)
            throws SourceException, InterruptedException {
        Repository repository = git.getRepository();
        FetchCommand fetch = configure(git.fetch().setRemote(r.url().address()), r)
                .setRefSpecs(wanted.specs())
                .setTagOpt(TagOpt.NO_TAGS)
                .setProgressMonitor(new CancellableProgress(cancellation));
        if (wanted.shallow()) fetch.setDepth(1);
        try {
            fetch.call();
        } catch (GitAPIException | RuntimeException e) {
            throw failure(e, r);
        }
        checkCancelled();
        try {
            RevCommit commit = wanted.localRef() != null
                    ? commitAt(repository, wanted.localRef(), version, r.url())
                    : commitById(repository, version, r.url());
            checkOut(repository, commit);
            checkCancelled();
            return commit;
        } catch (IOException | RuntimeException e) {
            if (cancellation.isCancelled()) throw SourceException.cancelledRun();
            throw new SourceException("cannot check out version " + version + " of " + r.url().display() + ": "
                    + r.redaction().apply(describe(e)));
        }
    }

    private static RevCommit commitAt(Repository repository, String localRef, String version, RemoteUrl remote)
            throws IOException, SourceException {
        Ref ref = repository.exactRef(localRef);
        if (ref == null || ref.getObjectId() == null) {
            throw new SourceException("the repository " + remote.display() + " did not send version " + version);
        }
        try (RevWalk walk = new RevWalk(repository)) {
            // parseCommit peels annotated tags down to their commit
            return walk.parseCommit(ref.getObjectId());
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw new SourceException("version " + version + " of " + remote.display() + " does not name a commit");
        }
    }

    private static RevCommit commitById(Repository repository, String version, RemoteUrl remote)
            throws IOException, SourceException {
        try (ObjectReader reader = repository.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            List<RevCommit> commits = new ArrayList<>();
            for (ObjectId id : reader.resolve(AbbreviatedObjectId.fromString(version.toLowerCase(Locale.ROOT)))) {
                RevObject object = walk.parseAny(id);
                if (object instanceof RevCommit commit) commits.add(commit);
            }
            if (commits.isEmpty()) {
                throw new SourceException("the repository " + remote.display() + " has no branch, tag or commit '"
                        + version + "'");
            }
            if (commits.size() > 1) {
                throw new SourceException("the commit id '" + version + "' is ambiguous in " + remote.display()
                        + " (" + commits.size() + " commits start with it); give more digits");
            }
            return commits.get(0);
        }
    }

    /** Writes the commit's tree into the work tree and detaches HEAD at it, as a clone of that commit would. */
    private void checkOut(Repository repository, RevCommit commit) throws IOException {
        DirCache index = repository.lockDirCache();
        DirCacheCheckout checkout = new DirCacheCheckout(repository, index, commit.getTree());
        checkout.setProgressMonitor(new CancellableProgress(cancellation));
        checkout.checkout();
        RefUpdate head = repository.updateRef(Constants.HEAD, true);
        head.setNewObjectId(commit.getId());
        RefUpdate.Result result = head.forceUpdate();
        if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED
                && result != RefUpdate.Result.NO_CHANGE) {
            throw new IOException("cannot detach HEAD at " + commit.name() + ": " + result);
        }
    }

    private <C extends TransportCommand<C, ?>> C configure(C command, Remote r) {
        command.setTimeout(TIMEOUT_SECONDS);
        CredentialsProvider provider = provider(r.credentials());
        if (provider != null) command.setCredentialsProvider(provider);
        if (r.ssh() != null) command.setTransportConfigCallback(r.ssh().configure());
        return command;
    }

    /** Credentials go to JGit through a provider, never inside the URL, so they cannot show up in its messages. */
    private static CredentialsProvider provider(Credentials credentials) {
        if (credentials == null || !credentials.present()) return null;
        String user = credentials.username() != null ? credentials.username()
                : credentials.password() != null ? TOKEN_USER : "";
        String password = credentials.password() == null ? "" : credentials.password().value();
        return new UsernamePasswordCredentialsProvider(user, password);
    }

    private SourceException failure(Exception e, Remote r) throws InterruptedException {
        if (cancellation.isCancelled()) return SourceException.cancelledRun();
        if (Thread.interrupted()) throw new InterruptedException();
        String display = r.url().display();
        if (r.ssh() != null && r.ssh().hostKeyRejection() != null) {
            return new SourceException("cannot clone " + display + ": " + r.ssh().hostKeyRejection());
        }
        String detail = r.redaction().apply(describe(e)).replace(r.url().address() + ": ", "");
        String lower = detail.toLowerCase(Locale.ROOT);
        if (lower.contains("not authorized") || lower.contains("authentication is required")
                || lower.contains("authentication not supported") || lower.contains("cannot log in")
                || lower.contains("auth fail") || lower.contains("no more authentication methods")) {
            return new SourceException("authentication failed for " + display + (r.credentials().present()
                    ? ": the server refused the given credentials"
                    : ": the server requires credentials, and none were given"));
        }
        if (lower.contains("eddsa provider not supported")) {
            // Apache MINA sshd needs an Ed25519 provider (BouncyCastle or net.i2p eddsa) on the class path
            return new SourceException("cannot clone " + display + ": this installation cannot use Ed25519 SSH keys"
                    + " (no EdDSA provider); use an RSA or ECDSA key, or add an EdDSA provider");
        }
        UnknownHostException unknownHost = cause(e, UnknownHostException.class);
        if (unknownHost != null) {
            return new SourceException("cannot clone " + display + ": unknown host " + unknownHost.getMessage());
        }
        if (cause(e, NoRemoteRepositoryException.class) != null) {
            return new SourceException("no git repository at " + display);
        }
        return new SourceException("cannot clone " + display + ": " + detail);
    }

    /** The messages along the cause chain, each once, since JGit often wraps the telling one. */
    private static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) continue;
            if (!parts.contains(m.strip())) parts.add(m.strip());
        }
        return parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts);
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }

    private void checkCancelled() throws SourceException, InterruptedException {
        if (cancellation.isCancelled()) throw SourceException.cancelledRun();
        if (Thread.interrupted()) throw new InterruptedException();
    }
}
