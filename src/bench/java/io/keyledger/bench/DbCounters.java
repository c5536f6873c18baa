package io.keyledger.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.sql.SQLException;

/**
 * Database work counted on the database side: {@code pg_stat_database} of the bench database, plus
 * {@code pg_stat_statements} calls when the server preloads it; beside the service's own counters from /q/metrics
 * (hash lookups, that is cache misses; cache hits and misses; 429s of the failed-authentication throttle).
 */
final class DbCounters {

    /** The counters at one instant. */
    record Reading(long millis, long xactCommit, long xactRollback, long tupReturned, long tupFetched, long calls,
            long lookups, long hits, long misses, long throttled) {
    }

    private final Database postgres;
    private final String db;
    private final boolean pgStatStatements;
    private final HttpClient http;
    private final String management;

    DbCounters(Database postgres, String db, boolean pgStatStatements, HttpClient http, String management) {
        this.postgres = postgres;
        this.db = db;
        this.pgStatStatements = pgStatStatements;
        this.http = http;
        this.management = management;
    }

    Reading read() throws SQLException {
        long millis = System.currentTimeMillis();
        String[] stat = postgres
                .text(db, "SELECT xact_commit, xact_rollback, tup_returned, tup_fetched FROM pg_stat_database"
                        + " WHERE datname = current_database()")
                .split(" ");
        long calls = pgStatStatements
                ? postgres.number(db,
                        "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s"
                                + " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()")
                : 0;
        String metrics = BenchSupport.scrape(http, management);
        return new Reading(millis, Long.parseLong(stat[0]), Long.parseLong(stat[1]), Long.parseLong(stat[2]),
                Long.parseLong(stat[3]), calls, count(metrics, "keyledger_keys_lookups_total"),
                count(metrics, "keyledger_keys_cache_requests_total", "result=\"hit\""),
                count(metrics, "keyledger_keys_cache_requests_total", "result=\"miss\""),
                count(metrics, "keyledger_rate_limit_rejections_total", "limit=\"failed_authentication\""));
    }

    /** The {@code db} object of a phase file: what changed from {@code a} to {@code b}. */
    ObjectNode between(Reading a, Reading b) {
        double seconds = (b.millis() - a.millis()) / 1000.0;
        ObjectNode db = JsonNodeFactory.instance.objectNode();
        db.put("window_s", Math.round((seconds <= 0 ? 1 : seconds) * 100) / 100.0);
        db.put("xact_commit", b.xactCommit() - a.xactCommit());
        db.put("xact_rollback", b.xactRollback() - a.xactRollback());
        db.put("tup_returned", b.tupReturned() - a.tupReturned());
        db.put("tup_fetched", b.tupFetched() - a.tupFetched());
        if (pgStatStatements) {
            db.put("pg_stat_statements_calls", b.calls() - a.calls());
        } else {
            db.putNull("pg_stat_statements_calls");
        }
        db.put("lookups", b.lookups() - a.lookups());
        db.put("cache_hits", b.hits() - a.hits());
        db.put("cache_misses", b.misses() - a.misses());
        db.put("failed_authentication_429", b.throttled() - a.throttled());
        return db;
    }

    private static long count(String metrics, String name, String... labels) {
        double sum = BenchSupport.sum(metrics, name, labels);
        return Double.isNaN(sum) ? 0 : (long) sum;
    }
}
