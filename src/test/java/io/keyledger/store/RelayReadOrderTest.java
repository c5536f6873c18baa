package io.keyledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.testing.ScratchDatabase;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The relay reads in (transaction id, position) order by the ids' numeric value. Ordered by their
 * text ("100" before "98"), a batch cut by its limit would move the checkpoint past events that
 * never went out. Rows are written by hand, with transaction ids across a digit boundary, into a
 * database of their own, and read with the relay's own statement.
 */
@QuarkusTest
class RelayReadOrderTest {

    @Test
    void batchesFollowTheNumericOrderOfTransactionIds_soALimitNeverSkipsAnEvent() throws Exception {
        ScratchDatabase database = ScratchDatabase.create("relay_order").migrate(null);
        try (Connection db = database.connect()) {
            long[] transactions = {101, 98, 100, 99};
            for (int i = 0; i < transactions.length; i++) {
                try (PreparedStatement insert = db
                        .prepareStatement("INSERT INTO events (event_id, stream_id, stream_version,"
                                + " event_type, schema_version, data, metadata, transaction_id) VALUES (?, ?, 1, 'ServiceAccountCreated', 1,"
                                + " '{}', '{}', ?::text::xid8)")) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setString(2, "service-account:order:s" + i);
                    insert.setString(3, Long.toString(transactions[i]));
                    insert.executeUpdate();
                }
            }
            List<String> read = new ArrayList<>();
            String afterTransaction = "97";
            long afterPosition = 0;
            // two events per batch, as a relay with batch size 2 would read them, checkpoint after checkpoint
            for (int batch = 0; batch < 3; batch++) {
                try (PreparedStatement select = db.prepareStatement(
                        EventLog.READ_COMMITTED_AFTER.replace("$1", "?").replace("$2", "?").replace("$3", "?"))) {
                    select.setString(1, afterTransaction);
                    select.setLong(2, afterPosition);
                    select.setInt(3, 2);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            read.add(rows.getString("transaction_id"));
                            afterTransaction = rows.getString("transaction_id");
                            afterPosition = rows.getLong("position");
                        }
                    }
                }
            }
            assertEquals(List.of("98", "99", "100", "101"), read);
        }
    }
}
