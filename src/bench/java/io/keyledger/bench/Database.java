package io.keyledger.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL the bench runs against (trust auth). Each query opens its own connection, as a psql call would, so a
 * query's backend ends with it and publishes its statistics at once. SQL files with psql variables run through psql.
 */
record Database(String host, int port, String user) {

    String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    /** Runs statements one by one, each in its own transaction (CREATE DATABASE, CHECKPOINT...). */
    void execute(String db, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(db), user, "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Each row's columns joined by a space (as {@code psql -At -F ' '} prints them). */
    List<String> lines(String db, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl(db), user, "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                StringBuilder line = new StringBuilder();
                for (int c = 1; c <= columns; c++) {
                    line.append(c > 1 ? " " : "").append(rows.getString(c));
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }

    /** The first row's columns joined by a space, or "" when there is no row. */
    String text(String db, String sql) throws SQLException {
        List<String> lines = lines(db, sql);
        return lines.isEmpty() ? "" : lines.get(0);
    }

    long number(String db, String sql) throws SQLException {
        return Long.parseLong(text(db, sql).trim());
    }

    boolean test(String db, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(db), user, "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    /** Runs a SQL file with psql, its variables set with {@code -v}; its output to {@code log}. */
    void psqlFile(String db, Path file, Map<String, String> variables, Path log, boolean append) {
        List<String> command = new ArrayList<>(List.of("psql", "-h", host, "-p", String.valueOf(port), "-U", user, "-v",
                "ON_ERROR_STOP=1", "-X", "-q", "-d", db));
        new LinkedHashMap<>(variables).forEach((name, value) -> command.addAll(List.of("-v", name + "=" + value)));
        command.addAll(List.of("-f", file.toString()));
        if (Processes.run(command, Map.of(), null, log, append) != 0) {
            throw new BenchFailure(file.getFileName() + " failed:\n" + Processes.tail(log, 5));
        }
    }
}
