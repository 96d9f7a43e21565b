package dev.transcript.command.user;

import dev.transcript.command.Commands;
import dev.transcript.command.Ids;
import dev.transcript.command.InvalidField;
import dev.transcript.events.user.UserRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/users")
public class UserController {

    /** bcrypt reads at most 72 bytes of a password; a longer one would be silently truncated. */
    private static final int BCRYPT_MAX_BYTES = 72;
    /** Thirty days: a longer login is a new login. */
    static final long MAX_LOGIN_TTL_SECONDS = 30 * 24 * 3600;
    private static final String NOT_BLANK = "(?s).*\\S.*";

    private final Commands commands;
    private final PasswordEncoder passwords;
    private final Clock clock;

    UserController(Commands commands, PasswordEncoder passwords, Clock clock) {
        this.commands = commands;
        this.passwords = passwords;
        this.clock = clock;
    }

    record RegisterUserRequest(@NotBlank @Email @Size(max = 255) String email,
                               @NotNull @Size(min = 8, max = BCRYPT_MAX_BYTES) String password,
                               @NotNull UserRole role) {
    }

    record ChangeRoleRequest(@NotNull UserRole role) {
    }

    /** Both fields are replaced: one left out is cleared. */
    record ChangeProfileRequest(@Size(max = 255) @Pattern(regexp = NOT_BLANK, message = "must not be blank") String name,
                                @Size(max = 2000) String avatarUrl) {
    }

    /** The token is issued by the caller (the auth front end) and kept here only as its SHA-256. */
    record OpenLoginRequest(@NotBlank @Size(min = 32, max = 512) String token,
                            @NotNull @Min(1) @Max(MAX_LOGIN_TTL_SECONDS) Long ttlSeconds,
                            @Size(max = 45) String ipAddress,
                            @Size(max = 2000) String userAgent) {
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

    @PutMapping("/{id}/profile")
    ResponseEntity<Void> changeProfile(@PathVariable UUID id, @Valid @RequestBody ChangeProfileRequest request) {
        if (request.avatarUrl() != null && !HttpUrls.isAbsoluteHttp(request.avatarUrl())) {
            throw new InvalidField("avatarUrl", "must be an absolute http or https URL");
        }
        String name = request.name() == null ? null : request.name().strip();
        commands.send(new ChangeUserProfile(id, name, request.avatarUrl()));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/deactivate")
    ResponseEntity<Void> deactivate(@PathVariable UUID id) {
        commands.send(new DeactivateUser(id));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/reactivate")
    ResponseEntity<Void> reactivate(@PathVariable UUID id) {
        commands.send(new ReactivateUser(id));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/logins")
    ResponseEntity<OpenedLogin> openLogin(@PathVariable UUID id, @Valid @RequestBody OpenLoginRequest request) {
        if (request.ipAddress() != null && !IpLiterals.isLiteral(request.ipAddress())) {
            throw new InvalidField("ipAddress", "must be an IPv4 or IPv6 address");
        }
        OpenedLogin opened = commands.send(new OpenLogin(id, Ids.next(), TokenHashes.sha256(request.token()),
                request.ipAddress(), request.userAgent(), clock.instant().plusSeconds(request.ttlSeconds())));
        return ResponseEntity.status(HttpStatus.CREATED).body(opened);
    }

    @PostMapping("/{id}/logins/{loginId}/activity")
    ResponseEntity<Void> touchLogin(@PathVariable UUID id, @PathVariable UUID loginId) {
        commands.send(new TouchLogin(id, loginId));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/logins/{loginId}/close")
    ResponseEntity<Void> closeLogin(@PathVariable UUID id, @PathVariable UUID loginId) {
        commands.send(new CloseLogin(id, loginId));
        return ResponseEntity.ok().build();
    }
}
