package io.keyledger.api.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.api.ApiException;
import io.keyledger.api.ErrorResponse;
import io.keyledger.api.http.ResourceSupport;
import io.keyledger.application.LedgerVerification;
import io.keyledger.application.LedgerVerificationJobs;
import io.keyledger.format.UnixSeconds;
import io.keyledger.store.LedgerVerificationTable;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The tamper-evident log, for auditors (JWT group keyledger:auditor). */
@Path("/api/v2/ledger")
@Authenticated
@Tag(name = "Ledger", description = "The tamper-evident event log")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource extends ResourceSupport {

    public static final String AUDITOR_ROLE = "keyledger:auditor";

    @Schema(name = "LedgerBreak", requiredProperties = {"position", "stream_id", "reason"})
    public record LedgerBreak(long position, @JsonProperty("stream_id") String streamId, String reason) {
    }

    @Schema(name = "LedgerVerifyResponse", requiredProperties = {"valid", "events_checked", "checkpoints_checked"})
    public record LedgerVerifyResponse(boolean valid, @JsonProperty("events_checked") long eventsChecked,

            @JsonProperty("checkpoints_checked") @Schema(
                    description = "Signed checkpoints checked: each one's signature, and its Merkle root against the log") long checkpointsChecked,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("first_break") @Schema(
                    nullable = true) LedgerBreak firstBreak) {
    }

    @Schema(name = "LedgerVerificationResponse", requiredProperties = {"id", "state", "events_checked", "events_total",
            "started_at", "finished_at", "result", "error"})
    public record LedgerVerificationResponse(@Schema(format = "uuid") String id,

            @Schema(enumeration = {
                    LedgerVerificationTable.RUNNING, LedgerVerificationTable.SUCCEEDED, LedgerVerificationTable.FAILED},
                    description = "running; succeeded: the walk reached the end of the log and `result` holds the verdict, "
                            + "as GET /api/v2/ledger/verify answers it (valid or not); failed: the walk stopped before the end "
                            + "and `error` says why") String state,

            @JsonProperty("events_checked") @Schema(description = "Events checked so far") long eventsChecked,

            @JsonProperty("events_total") @Schema(nullable = true,
                    description = "Events in the log when the job started (null until counted); the exact count once it succeeded") Long eventsTotal,

            @JsonProperty("started_at") @Schema(type = SchemaType.NUMBER) BigDecimal startedAt,

            @JsonProperty("finished_at") @Schema(type = SchemaType.NUMBER, nullable = true) BigDecimal finishedAt,
            // no description here: with one, the generator adds `type: object` beside the null branch
            @Schema(nullable = true) LedgerVerifyResponse result,

            @Schema(nullable = true, description = "Why the job failed; set once failed") String error) {

        static LedgerVerificationResponse of(LedgerVerificationTable.Job job) {
            LedgerVerifyResponse result = !LedgerVerificationTable.SUCCEEDED.equals(job.state())
                    ? null
                    : new LedgerVerifyResponse(Boolean.TRUE.equals(job.valid()), job.eventsChecked(),
                            job.checkpointsChecked() == null ? 0 : job.checkpointsChecked(),
                            job.breakPosition() == null
                                    ? null
                                    : new LedgerBreak(job.breakPosition(), job.breakStreamId(), job.breakReason()));
            return new LedgerVerificationResponse(job.id().toString(), job.state(), job.eventsChecked(),
                    job.eventsTotal(), UnixSeconds.of(job.startedAt()), UnixSeconds.of(job.finishedAt()), result,
                    job.error());
        }
    }

    static final String VERIFICATIONS = "/api/v2/ledger/verifications";
    static final String TOO_LONG = "The log is too long to verify within %d s in one request: start a verification job with "
            + "POST " + VERIFICATIONS + " and follow it with GET " + VERIFICATIONS + "/{id}";
    static final String BUSY = "Another ledger verification is running on this replica: retry later, or start a verification "
            + "job with POST " + VERIFICATIONS;
    static final String NOT_FOUND = "Ledger verification not found";
    /** In-request walks at once per replica: each holds a database connection and a worker thread. */
    static final int IN_REQUEST_WALKS = 2;

    private static final Semaphore WALKS = new Semaphore(IN_REQUEST_WALKS);

    @Inject
    LedgerVerification verification;

    @Inject
    LedgerVerificationJobs jobs;

    @GET
    @Path("/verify")
    @Operation(operationId = "verify_ledger", summary = "Verify the tamper-evident log",
            description = "Walks the whole log and checks every event's hash and its link to the previous one, and every "
                    + "signed checkpoint; answers the first break (lowest position), if any. Needs JWT group keyledger:auditor. "
                    + "A walk that does not finish within keyledger.ledger.verify-time-limit (default 20 s) stops and is "
                    + "answered 503 with a message naming POST /api/v2/ledger/verifications, which verifies a log of any "
                    + "length as a job (retrying does not help); so is a call while two others run on the same replica "
                    + "(with Retry-After).")
    @APIResponse(responseCode = "200", description = "The verdict",
            content = @Content(schema = @Schema(implementation = LedgerVerifyResponse.class)))
    @APIResponse(responseCode = "403")
    public Uni<LedgerVerifyResponse> verify() {
        callers.requireRole(AUDITOR_ROLE);
        if (!WALKS.tryAcquire()) {
            return Uni.createFrom().failure(new ApiException(503, ErrorResponse.of(BUSY), 5));
        }
        var limit = config.ledger().verifyTimeLimit();
        return verification.verifyWithin(limit).onTermination().invoke(WALKS::release)
                .onFailure(LedgerVerification.TimeLimitExceeded.class)
                .transform(e -> new ApiException(503, ErrorResponse.of(TOO_LONG.formatted(limit.toSeconds()))))
                .map(result -> new LedgerVerifyResponse(result.valid(), result.eventsChecked(),
                        result.checkpointsChecked(), result.firstBreak()
                                .map(b -> new LedgerBreak(b.position(), b.streamId(), b.reason())).orElse(null)));
    }

    @POST
    @Path("/verifications")
    @Operation(operationId = "start_ledger_verification", summary = "Start a verification of the log, as a job",
            description = "Starts walking the whole log in the background, as GET /api/v2/ledger/verify does but for a log "
                    + "of any length, and answers 202 with the job (its `id`, and a Location header to follow it). One "
                    + "verification runs at a time across replicas: while one runs, this answers 202 with that one (the "
                    + "same id). Needs JWT group keyledger:auditor.")
    @APIResponse(responseCode = "202", description = "The running verification: started now, or already running",
            headers = @Header(name = "Location", description = "The job's URL, for GET",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = LedgerVerificationResponse.class)))
    @APIResponse(responseCode = "403")
    public Uni<RestResponse<LedgerVerificationResponse>> startVerification() {
        return jobs.start(callers.requireRole(AUDITOR_ROLE).subject())
                .map(job -> RestResponse.ResponseBuilder
                        .create(RestResponse.Status.ACCEPTED, LedgerVerificationResponse.of(job))
                        .location(URI.create(VERIFICATIONS + "/" + job.id())).build());
    }

    @GET
    @Path("/verifications/{id}")
    @Operation(operationId = "get_ledger_verification", summary = "A verification job's progress and result",
            description = "State running, succeeded or failed; events checked so far and the log's size when known; once "
                    + "succeeded, the verdict as GET /api/v2/ledger/verify answers it. Any replica answers. Needs JWT group "
                    + "keyledger:auditor.")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(schema = @Schema(implementation = LedgerVerificationResponse.class)))
    @APIResponse(responseCode = "403")
    @APIResponse(responseCode = "404", description = "Ledger verification not found")
    public Uni<LedgerVerificationResponse> getVerification(@Parameter(description = "The id the start answered",
            schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        callers.requireRole(AUDITOR_ROLE);
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(ApiException.notFound(NOT_FOUND));
        }
        return jobs.find(uuid).map(
                job -> job.map(LedgerVerificationResponse::of).orElseThrow(() -> ApiException.notFound(NOT_FOUND)));
    }
}
