package dev.bazaar.identity.http;

import dev.bazaar.identity.User;
import dev.bazaar.identity.UserService;
import dev.bazaar.kit.Requests;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code /users}: registration. */
public final class UserRoutes implements HttpService {
    private final UserService users;

    public UserRoutes(UserService users) {
        this.users = users;
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
        rules.post("/", this::register);
    }

    private void register(ServerRequest req, ServerResponse res) {
        Registration body = Requests.body(req, Registration.class);
        User user = users.register(body.email(), body.password());
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/users/" + user.id())
                .send(UserBody.of(user));
    }
}
