package dev.bazaar.identity;

import java.util.List;

/** A confidential OAuth2 client for the client_credentials grant; the secret is kept only as a PHC hash. */
public record OAuthClient(String id, String secretHash, List<String> roles, List<String> scopes) {
    public OAuthClient {
        roles = List.copyOf(roles);
        scopes = List.copyOf(scopes);
    }
}
