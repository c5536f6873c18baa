package io.keyledger.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;

/**
 * A database of its own on the suite's PostgreSQL server, migrated with Flyway up to a version, for tests that shape
 * rows by hand: its JDBC URL and the credentials of the server it is on.
 */
public record ScratchDatabase(String url, String user, String password) {

    /** A new, empty database on the server the application uses. */
    public static ScratchDatabase create(String prefix) throws SQLException {
        var config = ConfigProvider.getConfig();
        String serverUrl = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String user = config.getValue("quarkus.datasource.username", String.class);
        // empty in the tests: config treats an empty value as missing
        String password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(serverUrl, user, password);
                Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE " + name);
        }
        return new ScratchDatabase(serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + name, user, password);
    }

    /** Applies the migrations up to {@code target} (null: all). */
    public ScratchDatabase migrate(String target) {
        var configuration = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration");
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
        return this;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
