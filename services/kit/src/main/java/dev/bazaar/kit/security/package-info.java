/**
 * Bearer-token security for HTTP and NATS: one {@link dev.bazaar.kit.security.TokenValidator} (RS256 pinned, JWKS
 * refetched on an unknown key id), the HTTP filter and route guards of
 * {@link dev.bazaar.kit.security.HttpSecurity}, and {@link dev.bazaar.kit.security.NatsSecurity} for request-reply.
 */
package dev.bazaar.kit.security;
