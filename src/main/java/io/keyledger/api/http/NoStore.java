package io.keyledger.api.http;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Nothing this API answers may be kept by a browser or a shared cache: key values (create,
 * rotate) above all, but also key lists, verdicts and errors, which are per caller and go
 * stale on revocation.
 */
public class NoStore {

    @ServerResponseFilter
    public void noStore(ContainerResponseContext response) {
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
