package io.keyledger.serviceaccount;

import java.time.Instant;

/** What can be asked of a service account. {@code now} and the actor arrive with the command, so deciding stays pure. */
public sealed interface ServiceAccountCommand permits CreateServiceAccount, UpdateServiceAccount, DeleteServiceAccount,
        CreateKey, RevokeKey, RotateKey, ReportLeak, CheckExpiry, RehashKey, DisableKey, EnableKey {

    Instant now();

    String actor();
}
