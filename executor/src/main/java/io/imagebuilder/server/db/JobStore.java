package io.imagebuilder.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every statement the server runs against the builds and build_log tables (and the webhook deliveries of a job it
 * removes); each method is one transaction.
 */
public final class JobStore {

    /** Jobs that are over and may be removed: ended builds, and deployments that failed, were cancelled or undeployed. */
    private static final String ENDED = "((kind = '" + Job.BUILD + "' AND status IN ('succeeded', 'failed', "
            + "'cancelled')) OR (kind = '" + Job.DEPLOYMENT + "' AND status IN ('failed', 'cancelled', 'undeployed')))";
    /** Jobs a worker may take: queued ones, and undeployments asked for and not taken yet. */
    private static final String CLAIMABLE = "(status = 'queued' OR (status = 'undeploying' AND worker IS NULL))";
    /** How many jobs a worker on H2 tries to take, oldest first, before it gives up until the next poll. */
    private static final int CANDIDATES = 8;
    private static final String COLUMNS = "seq, id, owner, idempotency_key, request_digest, status, dry_run, "
            + "request_redacted, request_sealed, cancel_requested, worker, created_at, started_at, finished_at, "
            + "result, error, kind, blueprint, phase, error_code";

    private final Database db;

    public JobStore(Database db) {
        this.db = db;
    }

    /** A job to insert; the id is chosen by the caller so the response can name it before the insert returns. */
    public record NewJob(String id, String owner, String idempotencyKey, String requestDigest, boolean dryRun,
                         String requestRedacted, String requestSealed, String kind, String blueprint) {
    }

    /** The owner already used this idempotency key. */
    public static final class DuplicateKeyException extends RuntimeException {
        public DuplicateKeyException() {
            super("idempotency key already used");
        }
    }

    /** Work done in the transaction that inserts a job, such as recording the event that it was queued. */
    @FunctionalInterface
    public interface Inserting {
        Inserting NOTHING = (c, j, at) -> { };

        void with(Connection c, NewJob job, OffsetDateTime at) throws SQLException;
    }

    /** Inserts and commits a queued job. */
    public Job insert(NewJob j) {
        return insert(j, Inserting.NOTHING);
    }

    /** Inserts a queued job, runs {@code also} in the same transaction, and commits both. */
    public Job insert(NewJob j, Inserting also) {
        if (j.idempotencyKey() != null && byIdempotencyKey(j.owner(), j.idempotencyKey()).isPresent()) {
            throw new DuplicateKeyException();
        }
        OffsetDateTime now = now();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                insertRow(c, j, now);
                also.with(c, j, now);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            // two requests with one key raced past the check above: the unique constraint decides
            if (j.idempotencyKey() != null && isUniqueViolation(e)) throw new DuplicateKeyException();
            throw failed("inserting a build", e);
        }
        return byId(j.id()).orElseThrow();
    }

    private static void insertRow(Connection c, NewJob j, OffsetDateTime now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO builds (id, owner, "
                + "idempotency_key, request_digest, status, dry_run, request_redacted, request_sealed, created_at, "
                + "kind, blueprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, j.id());
            s.setString(2, j.owner());
            s.setString(3, j.idempotencyKey());
            s.setString(4, j.requestDigest());
            s.setString(5, JobStatus.QUEUED.text());
            s.setBoolean(6, j.dryRun());
            s.setString(7, j.requestRedacted());
            s.setString(8, j.requestSealed());
            s.setObject(9, now);
            s.setString(10, j.kind());
            s.setString(11, j.blueprint());
            s.executeUpdate();
        }
    }

    public Optional<Job> byIdempotencyKey(String owner, String key) {
        return one("SELECT " + COLUMNS + " FROM builds WHERE owner = ? AND idempotency_key = ?", owner, key);
    }

    public Optional<Job> byId(String id) {
        return one("SELECT " + COLUMNS + " FROM builds WHERE id = ?", id);
    }

    /** The job, when {@code owner} created it. */
    public Optional<Job> byId(String id, String owner) {
        return one("SELECT " + COLUMNS + " FROM builds WHERE id = ? AND owner = ?", id, owner);
    }

    /**
     * The owner's jobs of a kind, newest first, older than {@code beforeSeq} (0: from the newest), in any of
     * {@code statuses} (empty: any status).
     */
    public List<Job> list(String owner, String kind, Set<JobStatus> statuses, int limit, long beforeSeq) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM builds WHERE owner = ? AND kind = ?");
        List<Object> args = new ArrayList<>(List.of(owner, kind));
        if (!statuses.isEmpty()) {
            sql.append(" AND status IN (").append(String.join(", ", Collections.nCopies(statuses.size(), "?")))
                    .append(")");
            statuses.forEach(st -> args.add(st.text()));
        }
        if (beforeSeq > 0) {
            sql.append(" AND seq < ?");
            args.add(beforeSeq);
        }
        sql.append(" ORDER BY seq DESC LIMIT ").append(limit);
        return all(sql.toString(), args.toArray());
    }

    /**
     * Takes the oldest queued job for {@code worker}, or none: a queued build or deployment, or a deployment to
     * undeploy that no worker holds yet (it keeps its status, undeploying, while it runs). On PostgreSQL the row is
     * locked with SKIP LOCKED, so concurrent workers (in any server process) pass over each other's candidates
     * instead of waiting; on H2 the conditional UPDATE alone decides, and a worker that loses the race tries the
     * next candidate. {@code startLine} gives the job's next log line, written in the same transaction.
     */
    public Optional<Job> claim(String worker, Function<Job, String> startLine) {
        OffsetDateTime now = now();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                String id = null;
                if (db.dialect() == Database.Dialect.POSTGRESQL) {
                    try (PreparedStatement s = c.prepareStatement("SELECT id FROM builds WHERE " + CLAIMABLE
                            + " ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED"); ResultSet r = s.executeQuery()) {
                        if (r.next()) id = r.getString(1);
                    }
                    if (id != null && !markRunning(c, id, worker, now)) id = null;
                } else {
                    for (String candidate : h2Candidates(c)) {
                        if (markRunning(c, candidate, worker, now)) {
                            id = candidate;
                            break;
                        }
                    }
                }
                Job job = id == null ? null : jobIn(c, id);
                if (job != null) insertLine(c, id, new NewLine(lastLogLine(c, id) + 1, startLine.apply(job)));
                c.commit();
                return Optional.ofNullable(job);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed("claiming a build", e);
        }
    }

    /**
     * The oldest claimable jobs on H2: one query per status, each ordered as the (status, seq) index is, so that H2
     * reads only the rows it returns. Asked in one query with an OR, it read every job it keeps on each claim.
     */
    private static List<String> h2Candidates(Connection c) throws SQLException {
        record Candidate(long seq, String id) {
        }
        List<Candidate> found = new ArrayList<>();
        for (String claimable : List.of("status = 'queued'", "status = 'undeploying' AND worker IS NULL")) {
            try (PreparedStatement s = c.prepareStatement("SELECT seq, id FROM builds WHERE " + claimable
                    + " ORDER BY status, seq LIMIT " + CANDIDATES); ResultSet r = s.executeQuery()) {
                while (r.next()) found.add(new Candidate(r.getLong(1), r.getString(2)));
            }
        }
        found.sort(Comparator.comparingLong(Candidate::seq));
        return found.stream().limit(CANDIDATES).map(Candidate::id).toList();
    }

    private static boolean markRunning(Connection c, String id, String worker, OffsetDateTime now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE builds SET status = 'running', worker = ?, "
                + "started_at = ?, heartbeat_at = ?, phase = '" + Job.BUILDING + "' WHERE id = ? AND status = 'queued'")) {
            s.setString(1, worker);
            s.setObject(2, now);
            s.setObject(3, now);
            s.setString(4, id);
            if (s.executeUpdate() == 1) return true;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE builds SET worker = ?, heartbeat_at = ? "
                + "WHERE id = ? AND status = 'undeploying' AND worker IS NULL")) {
            s.setString(1, worker);
            s.setObject(2, now);
            s.setString(3, id);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Records the end of a job the worker still holds, with its last log line ({@code last}, written in any case);
     * false when the worker no longer holds it (it was reaped).
     */
    public boolean finish(String id, String worker, JobStatus status, String result, String error, ErrorCode code,
                          NewLine last) {
        return updateWithLine(id, last, "UPDATE builds SET status = ?, result = ?, error = ?, error_code = ?, "
                + "finished_at = ? WHERE id = ? AND status = 'running' AND worker = ?", status.text(), result, error,
                code == null ? null : code.text(), now(), id, worker) == 1;
    }

    /** As {@link #finish}, for an undeployment. */
    public boolean finishUndeploy(String id, String worker, JobStatus status, String result, String error,
                                  ErrorCode code, NewLine last) {
        return updateWithLine(id, last, "UPDATE builds SET status = ?, result = ?, error = ?, error_code = ? "
                + "WHERE id = ? AND status = 'undeploying' AND worker = ?", status.text(), result, error,
                code == null ? null : code.text(), id, worker) == 1;
    }

    /**
     * Queues the undeployment of the owner's deployment that succeeded, or whose undeployment failed; false when it
     * is in no such state (any more).
     */
    public boolean requestUndeploy(String id, String owner) {
        return update("UPDATE builds SET status = 'undeploying', worker = NULL, error = NULL, error_code = NULL, "
                + "cancel_requested = FALSE "
                + "WHERE id = ? AND owner = ? AND kind = '" + Job.DEPLOYMENT + "' AND status IN ('succeeded', "
                + "'undeploy_failed') AND deployment_state IS NOT NULL", id, owner) == 1;
    }

    /** Keeps the state of a deployment (its state.json) for its undeployment. */
    public void saveDeploymentState(String id, String stateJson) {
        update("UPDATE builds SET deployment_state = ? WHERE id = ?", stateJson, id);
    }

    /** The kept state of a deployment, if any. */
    public Optional<String> deploymentState(String id) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT deployment_state "
                + "FROM builds WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed("reading a deployment's state", e);
        }
    }

    /** Cancels a job that has not started; false when it is no longer queued. */
    public boolean cancelQueued(String id, String owner) {
        return update("UPDATE builds SET status = 'cancelled', finished_at = ?, error = ?, error_code = ? "
                + "WHERE id = ? AND owner = ? AND status = 'queued'", now(), "cancelled before it started",
                ErrorCode.CANCELLED.text(), id, owner) == 1;
    }

    /** Asks the worker running the job to stop it; false when it is not running. */
    public boolean requestCancel(String id, String owner) {
        return update("UPDATE builds SET cancel_requested = TRUE WHERE id = ? AND owner = ? AND status = 'running'",
                id, owner) == 1;
    }

    /** Ids of the worker's running jobs whose cancellation was asked for. */
    public List<String> cancelRequested(String workerPrefix) {
        List<String> ids = new ArrayList<>();
        for (Job j : all("SELECT " + COLUMNS + " FROM builds WHERE status = 'running' AND cancel_requested = TRUE "
                + "AND worker LIKE ?", workerPrefix + "%")) {
            ids.add(j.id());
        }
        return ids;
    }

    /** Records what a running job held by {@code worker} is doing. */
    public void phase(String id, String worker, String phase) {
        update("UPDATE builds SET phase = ? WHERE id = ? AND status = 'running' AND worker = ?", phase, id, worker);
    }

    /** Tells other servers that the jobs of these workers are alive. */
    public void heartbeat(String workerPrefix) {
        update("UPDATE builds SET heartbeat_at = ? WHERE status IN ('running', 'undeploying') AND worker LIKE ?", now(),
                workerPrefix + "%");
    }

    /**
     * Fails running jobs whose server stopped sending heartbeats (it died, or was killed), so no job stays
     * running forever. They are not run again: a build may have pushed part of its images. Undeployments fail with
     * {@code undeployError}, and can be asked for again. Answers the ids of the jobs it failed.
     */
    public List<String> reapStale(OffsetDateTime silentSince, String error, String undeployError) {
        List<String> failed = failEach(Interrupted.RUN, " AND heartbeat_at < ?", silentSince, error);
        failed.addAll(failEach(Interrupted.UNDEPLOY, " AND worker IS NOT NULL AND heartbeat_at < ?", silentSince,
                undeployError));
        return failed;
    }

    /** Fails the running jobs of workers of this process (it is stopping); the ids of those it failed. */
    public List<String> failRunning(String workerPrefix, String error, String undeployError) {
        List<String> failed = failEach(Interrupted.RUN, " AND worker LIKE ?", workerPrefix + "%", error);
        failed.addAll(failEach(Interrupted.UNDEPLOY, " AND worker LIKE ?", workerPrefix + "%", undeployError));
        return failed;
    }

    /** What an interrupted job was doing, and the status it ends in; an undeployment keeps the deploy's end time. */
    private enum Interrupted {
        RUN("running", "failed", true),
        UNDEPLOY("undeploying", "undeploy_failed", false);

        final String from;
        final String to;
        final boolean ends;

        Interrupted(String from, String to, boolean ends) {
            this.from = from;
            this.to = to;
            this.ends = ends;
        }
    }

    /** One update per job, so that the caller learns which jobs it failed and can tell their owners. */
    private List<String> failEach(Interrupted what, String condition, Object value, String error) {
        List<String> failed = new ArrayList<>();
        String where = " WHERE status = '" + what.from + "'" + condition;
        for (Job j : all("SELECT " + COLUMNS + " FROM builds" + where, value)) {
            int changed = what.ends
                    ? update("UPDATE builds SET status = '" + what.to + "', error = ?, error_code = ?, finished_at = ?"
                            + where + " AND id = ?", error, ErrorCode.INTERRUPTED.text(), now(), value, j.id())
                    : update("UPDATE builds SET status = '" + what.to + "', error = ?, error_code = ?" + where
                            + " AND id = ?", error, ErrorCode.INTERRUPTED.text(), value, j.id());
            if (changed == 1) failed.add(j.id());
        }
        return failed;
    }

    /** Records the image tags a running build left on its build hosts (JSON: docker host to tags). */
    public void hostTags(String id, String json) {
        update("UPDATE builds SET host_tags = ? WHERE id = ?", json, id);
    }

    /** The tags the job left on its build hosts, as recorded; null when none were. */
    public String hostTags(String id) {
        List<String> found = text("SELECT host_tags FROM builds WHERE id = ?", id);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The tags recorded by every job but {@code id}, as JSON texts. */
    public List<String> otherHostTags(String id) {
        return text("SELECT host_tags FROM builds WHERE host_tags IS NOT NULL AND id <> ?", id);
    }

    /** Jobs that have not ended, of any owner. */
    public List<Job> unfinished() {
        return all("SELECT " + COLUMNS + " FROM builds WHERE status IN ('queued', 'running')");
    }

    /**
     * Jobs of any owner that ended before {@code cutoff}, oldest first. A deployment that succeeded is not over: it
     * stays until it is undeployed, and so does one whose undeployment failed.
     */
    public List<Job> endedBefore(OffsetDateTime cutoff, int limit) {
        return all("SELECT " + COLUMNS + " FROM builds WHERE " + ENDED + " AND finished_at < ? "
                + "ORDER BY finished_at LIMIT " + limit, cutoff);
    }

    /**
     * Removes an ended job with its log lines and webhook deliveries, in one transaction; false when it is not
     * there or has not ended.
     */
    public boolean remove(String id) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                int removed;
                try (PreparedStatement s = c.prepareStatement("DELETE FROM builds WHERE id = ? AND " + ENDED)) {
                    s.setString(1, id);
                    removed = s.executeUpdate();
                }
                if (removed == 1) {
                    for (String table : List.of("build_log WHERE build_id", "webhook_deliveries WHERE job_id")) {
                        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " = ?")) {
                            s.setString(1, id);
                            s.executeUpdate();
                        }
                    }
                }
                c.commit();
                return removed == 1;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed("removing a build", e);
        }
    }

    private List<String> text(String sql, Object... args) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) out.add(r.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw failed("reading builds", e);
        }
    }

    /** How many queued jobs (of any owner) run before this one, plus one; 0 when it is not queued. */
    public int queuePosition(Job j) {
        if (j.status() != JobStatus.QUEUED) return 0;
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM builds "
                + "WHERE status = 'queued' AND seq <= ?")) {
            s.setLong(1, j.seq());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw failed("reading the queue", e);
        }
    }

    /**
     * A log line to write in the transaction that changes its job's state: with H2 writing every commit to its file
     * before it returns, a commit is what a short job's log lines cost most.
     */
    public record NewLine(int number, String text) {
    }

    public void appendLog(String id, int lineNo, String line) {
        update("INSERT INTO build_log (build_id, line_no, line, logged_at) VALUES (?, ?, ?, ?)", id, lineNo, line,
                now());
    }

    private static void insertLine(Connection c, String id, NewLine line) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO build_log (build_id, line_no, line, logged_at) "
                + "VALUES (?, ?, ?, ?)")) {
            bind(s, id, line.number(), line.text(), now());
            s.executeUpdate();
        }
    }

    private static int lastLogLine(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MAX(line_no) FROM build_log WHERE build_id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getInt(1) : 0;
            }
        }
    }

    /** The number of the job's last log line; 0 when it has none. */
    public int lastLogLine(String id) {
        try (Connection c = db.connection()) {
            return lastLogLine(c, id);
        } catch (SQLException e) {
            throw failed("reading a build log", e);
        }
    }

    /** One log line with its number (from 1) and when it was written (null for lines of older versions). */
    public record LogLine(int number, String text, OffsetDateTime time) {
    }

    /** Lines after {@code afterLine}, in order. */
    public List<LogLine> log(String id, int afterLine, int limit) {
        List<LogLine> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("SELECT line_no, line, logged_at FROM "
                + "build_log WHERE build_id = ? AND line_no > ? ORDER BY line_no LIMIT " + limit)) {
            s.setString(1, id);
            s.setInt(2, afterLine);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) out.add(new LogLine(r.getInt(1), r.getString(2), time(r, "logged_at")));
            }
        } catch (SQLException e) {
            throw failed("reading a build log", e);
        }
        return out;
    }

    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** The job as the transaction on {@code c} sees it; null when there is none. */
    private static Job jobIn(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM builds WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? job(r) : null;
            }
        }
    }

    private Optional<Job> one(String sql, Object... args) {
        List<Job> jobs = all(sql, args);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
    }

    private List<Job> all(String sql, Object... args) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            List<Job> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) out.add(job(r));
            }
            return out;
        } catch (SQLException e) {
            throw failed("reading builds", e);
        }
    }

    /** Runs {@code sql} and writes {@code line} (when there is one) to job {@code id}'s log, in one transaction. */
    private int updateWithLine(String id, NewLine line, String sql, Object... args) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                if (line != null) insertLine(c, id, line);
                int changed;
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    bind(s, args);
                    changed = s.executeUpdate();
                }
                c.commit();
                return changed;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed("updating builds", e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failed("updating builds", e);
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
    }

    private static Job job(ResultSet r) throws SQLException {
        return new Job(r.getLong("seq"), r.getString("id"), r.getString("owner"), r.getString("idempotency_key"),
                r.getString("request_digest"), JobStatus.parse(r.getString("status")).orElseThrow(),
                r.getBoolean("dry_run"), r.getString("request_redacted"), r.getString("request_sealed"),
                r.getBoolean("cancel_requested"), r.getString("worker"), time(r, "created_at"),
                time(r, "started_at"), time(r, "finished_at"), r.getString("result"), r.getString("error"),
                r.getString("kind"), r.getString("blueprint"), r.getString("phase"),
                ErrorCode.parse(r.getString("error_code")));
    }

    private static OffsetDateTime time(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    private static IllegalStateException failed(String what, SQLException e) {
        return new IllegalStateException("database error while " + what + ": " + e.getMessage(), e);
    }
}
