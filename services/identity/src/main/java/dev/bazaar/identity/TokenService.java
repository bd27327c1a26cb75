package dev.bazaar.identity;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The OAuth2 grants: {@code password}, {@code client_credentials} and {@code refresh_token}, and revocation.
 * Logins count per account and per client address before the password is checked (one atomic upsert each, shared
 * by every instance); past the limit the caller gets a 429 until the window ends, even with the right password, so
 * that guessing gains nothing. A successful login clears its account and gives its address's attempt back, so only
 * failures use up the limit.
 */
public final class TokenService {
    private static final int MAX_KEY = EmailAddress.MAX_LENGTH;
    private final UserService users;
    private final Clients clients;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final AttemptLimiter limiter;
    private final List<String> userScopes;
    private final List<String> adminScopes;

    public TokenService(UserService users, Clients clients, AccessTokens accessTokens, RefreshTokens refreshTokens,
                        AttemptLimiter limiter, List<String> userScopes, List<String> adminScopes) {
        this.users = users;
        this.clients = clients;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.limiter = limiter;
        this.userScopes = List.copyOf(userScopes);
        this.adminScopes = List.copyOf(adminScopes);
    }

    /** What the token endpoint returns; {@code refreshToken} is null for client_credentials. */
    public record Tokens(String accessToken, long expiresIn, String refreshToken, String scope) {
    }

    public Tokens password(String username, String password, String scope, String clientAddress) {
        if (username == null || username.isBlank() || password == null) {
            throw OAuthError.invalidRequest("username and password are required");
        }
        String account = limitKey("account:", username.trim().toLowerCase(Locale.ROOT));
        String address = limitKey("address:", clientAddress);
        checkLimit(account, address);
        Optional<User> user = users.authenticate(username, password);
        if (user.isEmpty()) {
            throw OAuthError.invalidGrant("invalid username or password");
        }
        limiter.reset(account);
        limiter.giveBack(address);
        String granted = grant(scope, allowedScopes(user.get()), userScopes);
        return userTokens(user.get(), granted, refreshTokens.issue(user.get().id(), granted));
    }

    public Tokens clientCredentials(String clientId, String clientSecret, String scope, String clientAddress) {
        if (clientId == null || clientId.isBlank()) {
            throw OAuthError.invalidClient("client authentication is required");
        }
        String address = limitKey("address:", clientAddress);
        String clientKey = limitKey("client:", clientId);
        checkLimit(clientKey, address);
        Optional<OAuthClient> client = clients.authenticate(clientId, clientSecret);
        if (client.isEmpty()) {
            throw OAuthError.invalidClient("invalid client credentials");
        }
        // A service fetching its tokens all day must never use up its own limit.
        limiter.giveBack(clientKey);
        limiter.giveBack(address);
        String granted = grant(scope, client.get().scopes(), client.get().scopes());
        AccessTokens.Minted access = accessTokens.mint(client.get().id(), client.get().roles(), granted);
        return new Tokens(access.token(), access.expiresIn(), null, granted);
    }

    /** Rotates the refresh token; the user's current roles go into the new access token. */
    public Tokens refresh(String refreshToken, String scope) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw OAuthError.invalidRequest("refresh_token is required");
        }
        RefreshTokens.Issued next = refreshTokens.rotate(refreshToken);
        // RFC 6749 section 6: a refresh may narrow the access token's scope, never widen it.
        List<String> stored = List.of(next.stored().scope().split(" "));
        String granted = grant(scope, stored, stored);
        User user = users.find(next.stored().userId())
                .orElseThrow(() -> OAuthError.invalidGrant("refresh token is not valid"));
        return userTokens(user, granted, next);
    }

    public void revoke(String token) {
        refreshTokens.revoke(token);
    }

    private Tokens userTokens(User user, String scope, RefreshTokens.Issued refresh) {
        AccessTokens.Minted access = accessTokens.mint(user.id().toString(), user.roles(), scope);
        return new Tokens(access.token(), access.expiresIn(), refresh.token(), scope);
    }

    /** Keys come from the caller: cut them short, so that the limiter's memory stays bounded by its key count. */
    private static String limitKey(String prefix, String value) {
        return prefix + (value.length() > MAX_KEY ? value.substring(0, MAX_KEY) : value);
    }

    /** Counts this attempt on every key (before any hash); 429 when one of them is past the limit. */
    private void checkLimit(String... keys) {
        limiter.attempt(keys).ifPresent(blocked -> {
            throw OAuthError.tooManyFailures(blocked);
        });
    }

    /**
     * What a user may ask for: the user scopes, and for an admin the admin scopes too ({@code payments}), which are
     * never granted unasked, so that the token an admin places an order with (and that catalog then sees) does not
     * open payments' admin routes.
     */
    private List<String> allowedScopes(User user) {
        if (!user.roles().contains(User.ADMIN)) {
            return userScopes;
        }
        List<String> allowed = new java.util.ArrayList<>(userScopes);
        adminScopes.stream().filter(s -> !allowed.contains(s)).forEach(allowed::add);
        return allowed;
    }

    /** The requested scopes when all are allowed; {@code defaults} when none were requested. */
    static String grant(String requested, List<String> allowed, List<String> defaults) {
        if (requested == null || requested.isBlank()) {
            return String.join(" ", defaults);
        }
        Set<String> wanted = new LinkedHashSet<>(List.of(requested.trim().split("\\s+")));
        for (String scope : wanted) {
            if (!allowed.contains(scope)) {
                throw OAuthError.invalidScope("scope " + scope + " is not allowed");
            }
        }
        return String.join(" ", wanted);
    }
}
