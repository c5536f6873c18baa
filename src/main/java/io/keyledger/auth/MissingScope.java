package io.keyledger.auth;

/** An API key whose scopes do not include what the operation needs: a 403 that names the scope. */
public final class MissingScope extends RuntimeException {

    private final String scope;

    public MissingScope(String scope) {
        super("API key lacks scope " + scope, null, false, false);
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }
}
