package dev.transcript.command.user;

import dev.transcript.command.Conflict;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import dev.transcript.events.user.UserRoleChanged;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

class UserTest {

    private static final UUID USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000001");
    private static final UUID OTHER_USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000002");
    private static final String EMAIL = "ada@example.org";
    /** A bcrypt hash as the HTTP edge makes it; the aggregate never sees the password itself. */
    private static final String PASSWORD_HASH = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

    private static final UserRegistered REGISTERED = new UserRegistered(USER_ID, EMAIL, PASSWORD_HASH, UserRole.USER);

    private final AggregateTestFixture<User> fixture = new AggregateTestFixture<>(User.class);
    private final InMemoryEmailClaims emails = new InMemoryEmailClaims();

    @BeforeEach
    void registerResources() {
        fixture.registerInjectableResource(emails);
    }

    @Test
    void a_user_registers_with_the_hash_of_the_password() {
        fixture.givenNoPriorActivity()
               .when(new RegisterUser(USER_ID, EMAIL, PASSWORD_HASH, UserRole.USER))
               .expectSuccessfulHandlerExecution()
               .expectEvents(REGISTERED);

        assertThat(emails.holderOf(EMAIL)).isEqualTo(USER_ID);
    }

    @Test
    void the_registration_event_has_a_password_hash_and_no_password() {
        assertThat(Arrays.stream(UserRegistered.class.getRecordComponents()).map(RecordComponent::getName))
                .contains("passwordHash")
                .doesNotContain("password");
    }

    @Test
    void a_registration_with_a_taken_email_is_refused() {
        emails.claim(EMAIL, OTHER_USER_ID);

        fixture.givenNoPriorActivity()
               .when(new RegisterUser(USER_ID, EMAIL, PASSWORD_HASH, UserRole.USER))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("email " + EMAIL + " is already registered"));

        assertThat(emails.holderOf(EMAIL)).isEqualTo(OTHER_USER_ID);
    }

    @Test
    void a_role_change_is_recorded() {
        fixture.given(REGISTERED)
               .when(new ChangeUserRole(USER_ID, UserRole.ADMIN))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new UserRoleChanged(USER_ID, UserRole.ADMIN));
    }

    @Test
    void a_role_change_back_is_recorded_too() {
        fixture.given(REGISTERED, new UserRoleChanged(USER_ID, UserRole.ADMIN))
               .when(new ChangeUserRole(USER_ID, UserRole.USER))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new UserRoleChanged(USER_ID, UserRole.USER));
    }

    @Test
    void a_change_to_the_role_the_user_has_is_accepted_and_records_nothing() {
        fixture.given(REGISTERED, new UserRoleChanged(USER_ID, UserRole.ADMIN))
               .when(new ChangeUserRole(USER_ID, UserRole.ADMIN))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents();
    }

    @Test
    void the_role_of_an_unknown_user_cannot_change() {
        fixture.givenNoPriorActivity()
               .when(new ChangeUserRole(USER_ID, UserRole.ADMIN))
               .expectNoEvents()
               .expectException(AggregateNotFoundException.class);
    }
}
