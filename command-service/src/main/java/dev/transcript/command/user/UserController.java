package dev.transcript.command.user;

import dev.transcript.command.Commands;
import dev.transcript.command.Ids;
import dev.transcript.command.InvalidField;
import dev.transcript.events.user.UserRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/users")
public class UserController {

    /** bcrypt reads at most 72 bytes of a password; a longer one would be silently truncated. */
    private static final int BCRYPT_MAX_BYTES = 72;

    private final Commands commands;
    private final PasswordEncoder passwords;

    UserController(Commands commands, PasswordEncoder passwords) {
        this.commands = commands;
        this.passwords = passwords;
    }

    record RegisterUserRequest(@NotBlank @Email @Size(max = 255) String email,
                               @NotNull @Size(min = 8, max = BCRYPT_MAX_BYTES) String password,
                               @NotNull UserRole role) {
    }

    record ChangeRoleRequest(@NotNull UserRole role) {
    }

    @PostMapping
    ResponseEntity<Map<String, UUID>> register(@Valid @RequestBody RegisterUserRequest request) {
        if (request.password().getBytes(StandardCharsets.UTF_8).length > BCRYPT_MAX_BYTES) {
            throw new InvalidField("password", "must be at most 72 bytes in UTF-8");
        }
        UUID userId = Ids.next();
        commands.send(new RegisterUser(userId, request.email().strip(), passwords.encode(request.password()),
                request.role()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", userId));
    }

    @PostMapping("/{id}/role")
    ResponseEntity<Void> changeRole(@PathVariable UUID id, @Valid @RequestBody ChangeRoleRequest request) {
        commands.send(new ChangeUserRole(id, request.role()));
        return ResponseEntity.ok().build();
    }
}
