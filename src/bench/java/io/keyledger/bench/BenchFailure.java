package io.keyledger.bench;

/** A bench run cannot go on: the message is what the run prints after "FAILED:" before it stops everything it started. */
final class BenchFailure extends RuntimeException {

    BenchFailure(String message) {
        super(message);
    }

    BenchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
