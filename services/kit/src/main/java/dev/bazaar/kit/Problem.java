package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body. {@code type} is {@code about:blank} (the status says it all);
 * {@code traceId} lets a caller quote the trace an SRE should look up.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String traceId) {
    public static Problem of(Failure.Kind kind, String detail, String instance, String traceId) {
        return new Problem("about:blank", kind.title(), kind.status(), detail, instance, traceId);
    }
}
