package dev.transcript.events.user;

import dev.transcript.events.TranscriptEvent;

import java.util.UUID;

/** Facts about one user account; the aggregate id is the user id. */
public sealed interface UserEvent extends TranscriptEvent permits
        UserRegistered, UserRoleChanged, UserProfileChanged, UserDeactivated, UserReactivated,
        LoginOpened, LoginTouched, LoginClosed {

    UUID userId();

    @Override
    default String aggregateId() {
        return userId().toString();
    }
}
