package dev.transcript.projection.chatapp;

import dev.transcript.events.session.MessageRole;
import dev.transcript.projection.support.ChatAppProjection;
import dev.transcript.projection.support.ChatAppProjection.Engine;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.Published;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * chat_app's own database out of reach is an infrastructure failure, like PostgreSQL down: the poll fails whole
 * (the listener's error handler retries it with back-off) and no event is parked or dead-lettered for it. Its own
 * projection-service, since it closes chat_app's pool. Skipped where no MariaDB answers.
 */
class ChatAppDatabaseDownIT {

    @Test
    void a_poll_that_cannot_reach_chat_apps_database_fails_whole_and_parks_nothing() {
        try (ChatAppProjection projection = ChatAppProjection.start(Engine.MARIADB)) {
            EventLog log = new EventLog(Instant.parse("2026-03-04T12:00:00Z"));
            ChatAppStory story = new ChatAppStory();
            List<Published> poll = List.of(
                    log.append(story.userRegistered()),
                    log.append(story.chatSessionStarted("Groceries")),
                    log.append(story.chatMessage(1, MessageRole.USER, "hello")));

            projection.chatApp().close(); // its pool: every connection asked for fails from now on

            assertThatThrownBy(() -> projection.deliver(EventLog.records(poll)))
                    .isInstanceOf(ChatAppUnavailable.class)
                    .isNotInstanceOf(DataAccessException.class);
            assertThat(projection.parked()).as("nothing parked: the events are fine").isZero();
            for (Published event : poll) {
                assertThat(projection.lastSequenceOf(event.key())).as("%s not applied", event.type()).isNull();
            }
        }
    }
}
