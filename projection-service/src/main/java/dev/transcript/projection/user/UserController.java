package dev.transcript.projection.user;

import dev.transcript.projection.web.NotFound;
import dev.transcript.projection.web.Parameters;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** Users of the gateway read model. */
@RestController
@RequestMapping("/api/users")
public class UserController {

    private final UserQueries users;

    UserController(UserQueries users) {
        this.users = users;
    }

    @GetMapping("/{id}")
    UserView user(@PathVariable String id) {
        UUID userId = Parameters.uuid("id", id);
        return users.find(userId).orElseThrow(() -> new NotFound("no user with id " + userId));
    }
}
