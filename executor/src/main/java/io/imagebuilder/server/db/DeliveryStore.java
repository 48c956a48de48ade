package io.imagebuilder.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every statement the server runs against the webhook_deliveries table. */
public final class DeliveryStore {

    private static final String COLUMNS = "seq, id, job_id, owner, event, url, payload, status, attempts, "
            + "last_status, last_error, created_at, last_attempt_at, next_attempt_at, finished_at";

    private final Database db;

    public DeliveryStore(Database db) {
        this.db = db;
    }

    /** A delivery to insert, due at once. */
    public record NewDelivery(String id, String jobId, String owner, String event, String url, String payload) {
    }

    public void insert(NewDelivery d) {
        try (Connection c = db.connection()) {
            insert(c, d);
        } catch (SQLException e) {
            throw failed("recording a webhook delivery", e);
        }
    }

    /** Inserts on the caller's connection, inside its transaction. */
    public static void insert(Connection c, NewDelivery d) throws SQLException {
        OffsetDateTime now = JobStore.now();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO webhook_deliveries (id, job_id, owner, event, url, "
                + "payload, status, attempts, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
            s.setString(1, d.id());
            s.setString(2, d.jobId());
            s.setString(3, d.owner());
            s.setString(4, d.event());
            s.setString(5, d.url());
            s.setString(6, d.payload());
            s.setString(7, Delivery.PENDING);
            s.setObject(8, now);
            s.setObject(9, now);
            s.executeUpdate();
        }
    }

    /** Pending deliveries whose time has come, oldest first. */
    public List<Delivery> due(int limit) {
        return all("SELECT " + COLUMNS + " FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? "
                + "ORDER BY seq LIMIT " + limit, JobStore.now());
    }

    /**
     * Takes a due delivery for one attempt: moves its next attempt to {@code until}, so that no other server sends
     * it meanwhile and, should this one die while sending, another sends it after then. False when another server
     * took it first.
     */
    public boolean claim(Delivery d, OffsetDateTime until) {
        return update("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' "
                + "AND attempts = ? AND next_attempt_at <= ?", until, d.id(), d.attempts(), JobStore.now()) == 1;
    }

    /**
     * Records an attempt: its HTTP status (null when there was no answer) or error, and the delivery's new status;
     * {@code next} is when a pending delivery is tried again.
     */
    public void attempted(String id, int attempts, Integer httpStatus, String error, String status,
                          OffsetDateTime next) {
        OffsetDateTime now = JobStore.now();
        update("UPDATE webhook_deliveries SET attempts = ?, last_status = ?, last_error = ?, status = ?, "
                        + "last_attempt_at = ?, next_attempt_at = ?, finished_at = ? WHERE id = ?", attempts, httpStatus,
                error, status, now, next, Delivery.PENDING.equals(status) ? null : now, id);
    }

    /** A job's deliveries, oldest first. */
    public List<Delivery> forJob(String jobId) {
        return all("SELECT " + COLUMNS + " FROM webhook_deliveries WHERE job_id = ? ORDER BY seq", jobId);
    }

    public Optional<Delivery> byId(String id) {
        List<Delivery> found = all("SELECT " + COLUMNS + " FROM webhook_deliveries WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private List<Delivery> all(String sql, Object... args) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) out.add(delivery(r));
            }
            return out;
        } catch (SQLException e) {
            throw failed("reading webhook deliveries", e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failed("updating webhook deliveries", e);
        }
    }

    private static Delivery delivery(ResultSet r) throws SQLException {
        int code = r.getInt("last_status");
        Integer lastStatus = r.wasNull() ? null : code;
        return new Delivery(r.getLong("seq"), r.getString("id"), r.getString("job_id"), r.getString("owner"),
                r.getString("event"), r.getString("url"), r.getString("payload"), r.getString("status"),
                r.getInt("attempts"), lastStatus, r.getString("last_error"),
                time(r, "created_at"), time(r, "last_attempt_at"), time(r, "next_attempt_at"),
                time(r, "finished_at"));
    }

    private static OffsetDateTime time(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static IllegalStateException failed(String what, SQLException e) {
        return new IllegalStateException("database error while " + what + ": " + e.getMessage(), e);
    }
}
