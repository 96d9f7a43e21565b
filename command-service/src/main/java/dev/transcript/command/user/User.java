package dev.transcript.command.user;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.transcript.command.Conflict;
import dev.transcript.command.NotFound;
import dev.transcript.events.user.LoginClosed;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.LoginTouched;
import dev.transcript.events.user.UserDeactivated;
import dev.transcript.events.user.UserProfileChanged;
import dev.transcript.events.user.UserReactivated;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import dev.transcript.events.user.UserRoleChanged;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One user account with its login sessions. The state is only what the decisions need: the role, whether
 * the account is active, the profile (to tell a change from a repetition), and the logins by id — the
 * expiry of each open one, the ids of the closed ones. Token hashes are not kept: no decision reads them.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE)
class User {

    @AggregateIdentifier
    private UUID userId;
    private UserRole role;
    private boolean active;
    private String name;
    private String avatarUrl;
    /** In the order opened, so that a deactivation closes them in that order. */
    private Map<UUID, Instant> openLogins = new LinkedHashMap<>();
    private Set<UUID> closedLogins = new HashSet<>();

    User() {
        // Axon rebuilds the aggregate from its events.
    }

    @CommandHandler
    User(RegisterUser command, EmailClaims emails) {
        if (!emails.claim(command.email(), command.userId())) {
            throw new Conflict("email " + command.email() + " is already registered");
        }
        apply(new UserRegistered(command.userId(), command.email(), command.passwordHash(), command.role()));
    }

    @CommandHandler
    void handle(ChangeUserRole command) {
        // Asking for the role a user has already changes nothing, so it records nothing.
        if (command.role() != role) {
            apply(new UserRoleChanged(userId, command.role()));
        }
    }

    @CommandHandler
    void handle(ChangeUserProfile command) {
        // Likewise the profile the user has already.
        if (!Objects.equals(command.name(), name) || !Objects.equals(command.avatarUrl(), avatarUrl)) {
            apply(new UserProfileChanged(userId, command.name(), command.avatarUrl()));
        }
    }

    @CommandHandler
    void handle(DeactivateUser command) {
        if (!active) {
            throw new Conflict("user " + userId + " is deactivated already");
        }
        apply(new UserDeactivated(userId));
        // A deactivated account may not stay logged in. Copied: each LoginClosed removes its login.
        for (UUID loginId : List.copyOf(openLogins.keySet())) {
            apply(new LoginClosed(userId, loginId));
        }
    }

    @CommandHandler
    void handle(ReactivateUser command) {
        if (active) {
            throw new Conflict("user " + userId + " is active");
        }
        apply(new UserReactivated(userId));
    }

    @CommandHandler
    OpenedLogin handle(OpenLogin command) {
        if (!active) {
            throw new Conflict("user " + userId + " is deactivated");
        }
        if (openLogins.containsKey(command.loginId()) || closedLogins.contains(command.loginId())) {
            throw new Conflict("login " + command.loginId() + " exists already");
        }
        apply(new LoginOpened(userId, command.loginId(), command.tokenSha256(), command.ipAddress(),
                command.userAgent(), command.expiresAt()));
        return new OpenedLogin(command.loginId(), command.expiresAt());
    }

    @CommandHandler
    void handle(TouchLogin command, Clock clock) {
        Instant expiresAt = openLogin(command.loginId());
        if (!clock.instant().isBefore(expiresAt)) {
            throw new Conflict("login " + command.loginId() + " expired at " + expiresAt);
        }
        apply(new LoginTouched(userId, command.loginId()));
    }

    /** An expired login may still be closed: a logout after the expiry is no error. */
    @CommandHandler
    void handle(CloseLogin command) {
        openLogin(command.loginId());
        apply(new LoginClosed(userId, command.loginId()));
    }

    /** @return the expiry of the login, which is open (though it may have expired). */
    private Instant openLogin(UUID loginId) {
        if (closedLogins.contains(loginId)) {
            throw new Conflict("login " + loginId + " is closed");
        }
        Instant expiresAt = openLogins.get(loginId);
        if (expiresAt == null) {
            throw new NotFound("user " + userId + " has no login " + loginId);
        }
        return expiresAt;
    }

    @EventSourcingHandler
    void on(UserRegistered event) {
        userId = event.userId();
        role = event.role();
        active = true;
    }

    @EventSourcingHandler
    void on(UserRoleChanged event) {
        role = event.role();
    }

    @EventSourcingHandler
    void on(UserProfileChanged event) {
        name = event.name();
        avatarUrl = event.avatarUrl();
    }

    @EventSourcingHandler
    void on(UserDeactivated event) {
        active = false;
    }

    @EventSourcingHandler
    void on(UserReactivated event) {
        active = true;
    }

    @EventSourcingHandler
    void on(LoginOpened event) {
        openLogins.put(event.loginId(), event.expiresAt());
    }

    @EventSourcingHandler
    void on(LoginClosed event) {
        openLogins.remove(event.loginId());
        closedLogins.add(event.loginId());
    }
}
