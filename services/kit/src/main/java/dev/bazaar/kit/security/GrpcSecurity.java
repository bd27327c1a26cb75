package dev.bazaar.kit.security;

import dev.bazaar.contracts.Failure;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import java.util.Arrays;

/**
 * User identity over gRPC, as {@link NatsSecurity} over NATS: a call on a user's behalf carries the user's access
 * token in the {@code authorization: Bearer …} metadata, and a method checks it with the same {@link TokenValidator}
 * as HTTP ({@link #caller}). {@link #interceptor} only carries the metadata to the method (public methods need no
 * token); failures are {@link Failure}s, which the gRPC edge answers as {@code UNAUTHENTICATED} or
 * {@code PERMISSION_DENIED}.
 */
public final class GrpcSecurity {
    /** The metadata key carrying the bearer token (HTTP/2 header names are lower case). */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> TOKEN = Context.key("bazaar-authorization");

    private final TokenValidator validator;

    public GrpcSecurity(TokenValidator validator) {
        this.validator = validator;
    }

    /** Makes each call's {@code authorization} metadata available to {@link #caller} while the call runs. */
    public static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(Context.current().withValue(TOKEN, headers.get(AUTHORIZATION)), call,
                        headers, next);
            }
        };
    }

    /** Metadata for a call on behalf of the holder of {@code accessToken}. */
    public static Metadata onBehalfOf(String accessToken) {
        Metadata metadata = new Metadata();
        metadata.put(AUTHORIZATION, BearerHeader.of(accessToken));
        return metadata;
    }

    /**
     * The verified caller of the current call, who must have one of {@code anyOfRoles} (none given: any role).
     *
     * @throws Failure {@code UNAUTHORIZED} for a missing or invalid token, {@code FORBIDDEN} for a missing role,
     *                 {@code UNAVAILABLE} when identity's keys cannot be read
     */
    public Caller caller(String... anyOfRoles) {
        Caller caller;
        try {
            caller = validator.fromAuthorization(TOKEN.get());
        } catch (InvalidTokenException e) {
            throw new Failure(Failure.Kind.UNAUTHORIZED, e.getMessage());
        }
        if (anyOfRoles.length > 0 && !caller.hasAnyRole(anyOfRoles)) {
            throw new Failure(Failure.Kind.FORBIDDEN, "requires role " + String.join(" or ", Arrays.asList(anyOfRoles)));
        }
        return caller;
    }
}
