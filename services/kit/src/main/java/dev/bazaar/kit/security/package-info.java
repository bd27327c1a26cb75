/**
 * Bearer-token security for HTTP and NATS on Helidon Security: one {@link dev.bazaar.kit.security.TokenValidator}
 * whose only authentication provider is Helidon's JWT provider extended for identity's tokens (RS256 pinned,
 * {@code exp} and {@code iss} required, JWKS refetched on an unknown key id), the HTTP filter and route guards of
 * {@link dev.bazaar.kit.security.HttpSecurity}, and {@link dev.bazaar.kit.security.NatsSecurity} for request-reply.
 */
package dev.bazaar.kit.security;
