package io.imagebuilder.server;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a test database directly, around the server: row counts and a dump of every table's every value. */
final class Tables {

    private Tables() {
    }

    static List<String> names(Connection c) throws Exception {
        List<String> names = new ArrayList<>();
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet r = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
            while (r.next()) {
                String schema = r.getString("TABLE_SCHEM");
                if (schema != null && (schema.equalsIgnoreCase("public"))) names.add(r.getString("TABLE_NAME"));
            }
        }
        return names;
    }

    /** Every value of every table, as text, one line per row. */
    static String dump(TestDatabase db) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = db.connect()) {
            for (String table : names(c)) {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        sb.append(table).append(':');
                        for (int i = 1; i <= columns; i++) sb.append(' ').append(r.getString(i));
                        sb.append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Row counts of the server's tables. */
    static Map<String, Long> counts(TestDatabase db) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String table : List.of("builds", "build_log", "webhook_deliveries")) {
                try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    r.next();
                    out.put(table, r.getLong(1));
                }
            }
        }
        return out;
    }
}
