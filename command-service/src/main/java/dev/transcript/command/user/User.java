package dev.transcript.command.user;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.transcript.command.Conflict;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import dev.transcript.events.user.UserRoleChanged;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE)
class User {

    @AggregateIdentifier
    private UUID userId;
    private UserRole role;

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

    @EventSourcingHandler
    void on(UserRegistered event) {
        userId = event.userId();
        role = event.role();
    }

    @EventSourcingHandler
    void on(UserRoleChanged event) {
        role = event.role();
    }
}
