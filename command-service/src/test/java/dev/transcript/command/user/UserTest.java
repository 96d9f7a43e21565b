package dev.transcript.command.user;

import dev.transcript.command.Conflict;
import dev.transcript.command.NotFound;
import dev.transcript.command.support.FixtureClock;
import dev.transcript.events.user.LoginClosed;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.LoginTouched;
import dev.transcript.events.user.UserDeactivated;
import dev.transcript.events.user.UserProfileChanged;
import dev.transcript.events.user.UserReactivated;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import dev.transcript.events.user.UserRoleChanged;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The user aggregate, given-when-then. The injected {@link java.time.Clock} reads the fixture's simulated
 * time, which decides whether a login has expired.
 */
class UserTest {

    private static final UUID USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000001");
    private static final UUID OTHER_USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000002");
    private static final String EMAIL = "ada@example.org";
    /** A bcrypt hash as the HTTP edge makes it; the aggregate never sees the password itself. */
    private static final String PASSWORD_HASH = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

    private static final UserRegistered REGISTERED = new UserRegistered(USER_ID, EMAIL, PASSWORD_HASH, UserRole.USER);

    private static final String NAME = "Ada Lovelace";
    private static final String AVATAR_URL = "https://example.org/avatars/ada.png";
    private static final UserProfileChanged PROFILE_CHANGED = new UserProfileChanged(USER_ID, NAME, AVATAR_URL);
    private static final UserDeactivated DEACTIVATED = new UserDeactivated(USER_ID);

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant EXPIRES_AT = NOW.plusSeconds(3_600);
    private static final UUID LOGIN_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000f1");
    private static final UUID OTHER_LOGIN_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000f2");
    private static final UUID CLOSED_LOGIN_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000f3");
    /** SHA-256 of "test", as the HTTP edge makes it; the aggregate never sees the token itself. */
    private static final String TOKEN_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String IP_ADDRESS = "2001:db8::7";
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64)";
    private static final OpenLogin OPEN_LOGIN =
            new OpenLogin(USER_ID, LOGIN_ID, TOKEN_SHA256, IP_ADDRESS, USER_AGENT, EXPIRES_AT);
    private static final LoginOpened LOGIN_OPENED =
            new LoginOpened(USER_ID, LOGIN_ID, TOKEN_SHA256, IP_ADDRESS, USER_AGENT, EXPIRES_AT);
    private static final LoginOpened OTHER_LOGIN_OPENED =
            new LoginOpened(USER_ID, OTHER_LOGIN_ID, TOKEN_SHA256, null, null, EXPIRES_AT);
    private static final LoginOpened CLOSED_LOGIN_OPENED =
            new LoginOpened(USER_ID, CLOSED_LOGIN_ID, TOKEN_SHA256, null, null, EXPIRES_AT);
    private static final LoginClosed LOGIN_CLOSED = new LoginClosed(USER_ID, LOGIN_ID);

    private final AggregateTestFixture<User> fixture = new AggregateTestFixture<>(User.class);
    private final InMemoryEmailClaims emails = new InMemoryEmailClaims();

    @BeforeEach
    void registerResources() {
        fixture.registerInjectableResource(emails);
        fixture.registerInjectableResource(new FixtureClock(fixture::currentTime));
        fixture.givenCurrentTime(NOW);
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

    // --- profile ----------------------------------------------------------------------------------------------

    @Test
    void a_profile_change_is_recorded() {
        fixture.given(REGISTERED)
               .when(new ChangeUserProfile(USER_ID, NAME, AVATAR_URL))
               .expectSuccessfulHandlerExecution()
               .expectEvents(PROFILE_CHANGED);
    }

    @Test
    void a_profile_change_replaces_both_fields_and_null_clears_one() {
        fixture.given(REGISTERED, PROFILE_CHANGED)
               .when(new ChangeUserProfile(USER_ID, "Countess of Lovelace", null))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new UserProfileChanged(USER_ID, "Countess of Lovelace", null));
    }

    @Test
    void the_profile_the_user_has_is_accepted_and_records_nothing() {
        fixture.given(REGISTERED, PROFILE_CHANGED)
               .when(new ChangeUserProfile(USER_ID, NAME, AVATAR_URL))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents();
    }

    @Test
    void an_empty_profile_for_a_user_who_never_had_one_records_nothing() {
        fixture.given(REGISTERED)
               .when(new ChangeUserProfile(USER_ID, null, null))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents();
    }

    @Test
    void the_profile_of_an_unknown_user_cannot_change() {
        fixture.givenNoPriorActivity()
               .when(new ChangeUserProfile(USER_ID, NAME, AVATAR_URL))
               .expectNoEvents()
               .expectException(AggregateNotFoundException.class);
    }

    // --- activation -------------------------------------------------------------------------------------------

    @Test
    void a_deactivation_is_recorded_and_closes_every_open_login_in_the_order_opened() {
        fixture.given(REGISTERED, LOGIN_OPENED, CLOSED_LOGIN_OPENED, OTHER_LOGIN_OPENED,
                      new LoginClosed(USER_ID, CLOSED_LOGIN_ID))
               .when(new DeactivateUser(USER_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(DEACTIVATED, LOGIN_CLOSED, new LoginClosed(USER_ID, OTHER_LOGIN_ID));
    }

    @Test
    void a_deactivation_closes_expired_logins_too() {
        fixture.given(REGISTERED, LOGIN_OPENED)
               .andGivenCurrentTime(EXPIRES_AT.plusSeconds(1))
               .when(new DeactivateUser(USER_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(DEACTIVATED, LOGIN_CLOSED);
    }

    @Test
    void a_deactivated_user_cannot_be_deactivated_again() {
        fixture.given(REGISTERED, DEACTIVATED)
               .when(new DeactivateUser(USER_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("is deactivated already"));
    }

    @Test
    void a_deactivated_user_is_reactivated() {
        fixture.given(REGISTERED, DEACTIVATED)
               .when(new ReactivateUser(USER_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new UserReactivated(USER_ID));
    }

    @Test
    void an_active_user_cannot_be_reactivated() {
        fixture.given(REGISTERED, DEACTIVATED, new UserReactivated(USER_ID))
               .when(new ReactivateUser(USER_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("user " + USER_ID + " is active"));
    }

    // --- logins -----------------------------------------------------------------------------------------------

    @Test
    void a_login_opens_with_the_hash_of_the_token_and_answers_its_id_and_expiry() {
        fixture.given(REGISTERED)
               .when(OPEN_LOGIN)
               .expectSuccessfulHandlerExecution()
               .expectEvents(LOGIN_OPENED)
               .expectResultMessagePayload(new OpenedLogin(LOGIN_ID, EXPIRES_AT));
    }

    @Test
    void the_login_event_has_a_token_hash_and_no_token() {
        assertThat(Arrays.stream(LoginOpened.class.getRecordComponents()).map(RecordComponent::getName))
                .contains("tokenSha256")
                .doesNotContain("token");
    }

    @Test
    void a_deactivated_user_cannot_log_in() {
        fixture.given(REGISTERED, DEACTIVATED)
               .when(OPEN_LOGIN)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("user " + USER_ID + " is deactivated"));
    }

    @Test
    void a_reactivated_user_can_log_in_again() {
        fixture.given(REGISTERED, DEACTIVATED, new UserReactivated(USER_ID))
               .when(OPEN_LOGIN)
               .expectSuccessfulHandlerExecution()
               .expectEvents(LOGIN_OPENED);
    }

    @Test
    void a_login_id_is_used_once() {
        fixture.given(REGISTERED, LOGIN_OPENED, LOGIN_CLOSED)
               .when(OPEN_LOGIN)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("login " + LOGIN_ID + " exists already"));
    }

    @Test
    void an_open_login_is_touched() {
        fixture.given(REGISTERED, LOGIN_OPENED)
               .andGivenCurrentTime(EXPIRES_AT.minusMillis(1))
               .when(new TouchLogin(USER_ID, LOGIN_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new LoginTouched(USER_ID, LOGIN_ID));
    }

    @Test
    void a_login_the_user_never_opened_cannot_be_touched() {
        fixture.given(REGISTERED, OTHER_LOGIN_OPENED)
               .when(new TouchLogin(USER_ID, LOGIN_ID))
               .expectNoEvents()
               .expectException(NotFound.class)
               .expectExceptionMessage(containsString("has no login " + LOGIN_ID));
    }

    @Test
    void a_closed_login_cannot_be_touched() {
        fixture.given(REGISTERED, LOGIN_OPENED, LOGIN_CLOSED)
               .when(new TouchLogin(USER_ID, LOGIN_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("login " + LOGIN_ID + " is closed"));
    }

    @Test
    void an_expired_login_cannot_be_touched() {
        fixture.given(REGISTERED, LOGIN_OPENED)
               .andGivenCurrentTime(EXPIRES_AT)
               .when(new TouchLogin(USER_ID, LOGIN_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("expired at " + EXPIRES_AT));
    }

    @Test
    void an_open_login_is_closed() {
        fixture.given(REGISTERED, LOGIN_OPENED)
               .when(new CloseLogin(USER_ID, LOGIN_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(LOGIN_CLOSED);
    }

    @Test
    void an_expired_login_may_still_be_closed() {
        fixture.given(REGISTERED, LOGIN_OPENED)
               .andGivenCurrentTime(EXPIRES_AT.plusSeconds(60))
               .when(new CloseLogin(USER_ID, LOGIN_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(LOGIN_CLOSED);
    }

    @Test
    void a_login_the_user_never_opened_cannot_be_closed() {
        fixture.given(REGISTERED)
               .when(new CloseLogin(USER_ID, LOGIN_ID))
               .expectNoEvents()
               .expectException(NotFound.class);
    }

    @Test
    void a_closed_login_cannot_be_closed_again() {
        fixture.given(REGISTERED, LOGIN_OPENED, LOGIN_CLOSED)
               .when(new CloseLogin(USER_ID, LOGIN_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("login " + LOGIN_ID + " is closed"));
    }

    @Test
    void the_logins_closed_by_a_deactivation_stay_closed_after_a_reactivation() {
        fixture.given(REGISTERED, LOGIN_OPENED, DEACTIVATED, LOGIN_CLOSED, new UserReactivated(USER_ID))
               .when(new TouchLogin(USER_ID, LOGIN_ID))
               .expectNoEvents()
               .expectException(Conflict.class);
    }
}
