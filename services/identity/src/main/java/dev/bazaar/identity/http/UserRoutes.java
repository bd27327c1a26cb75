package dev.bazaar.identity.http;

import dev.bazaar.identity.AttemptLimiter;
import dev.bazaar.identity.Throttled;
import dev.bazaar.identity.User;
import dev.bazaar.identity.UserService;
import dev.bazaar.contracts.Failure;
import dev.bazaar.kit.Requests;
import dev.bazaar.kit.security.Caller;
import dev.bazaar.kit.security.HttpSecurity;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code /users}: registration, and reading a user back (the user themself or an admin). */
public final class UserRoutes implements HttpService {
    private final UserService users;
    private final AttemptLimiter registrations;
    private final ClientAddress clientAddress;

    /** {@code registrations} limits registrations per client address (each costs a password hash and a row). */
    public UserRoutes(UserService users, AttemptLimiter registrations, ClientAddress clientAddress) {
        this.users = users;
        this.registrations = registrations;
        this.clientAddress = clientAddress;
    }

    /** The registration request. */
    public record Registration(String email, String password) {
        @Override
        public String toString() {
            return "Registration[email=" + email + "]";
        }
    }

    /** A user as shown to clients: never the hash. */
    public record UserBody(UUID id, String email, List<String> roles, Instant createdAt) {
        static UserBody of(User user) {
            return new UserBody(user.id(), user.email(), user.roles(), user.createdAt());
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::register)
                .get("/{id}", HttpSecurity.authenticated(), this::get);
    }

    /** A user, to that user or an admin; anyone else gets the same 404 as for an unknown id. */
    private void get(ServerRequest req, ServerResponse res) {
        Caller caller = HttpSecurity.caller(req);
        UUID id = Requests.uuidParam(req, "id");
        if (!caller.subject().equals(id.toString()) && !caller.isAdmin()) {
            throw Failure.notFound("no user " + id);
        }
        res.send(UserBody.of(users.find(id).orElseThrow(() -> Failure.notFound("no user " + id))));
    }

    private void register(ServerRequest req, ServerResponse res) {
        registrations.attempt("register:" + clientAddress.of(req)).ifPresent(blocked -> {
            throw Throttled.tooMany("too many registrations from this address", blocked);
        });
        Registration body = Requests.body(req, Registration.class);
        User user = users.register(body.email(), body.password());
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/users/" + user.id())
                .send(UserBody.of(user));
    }
}
