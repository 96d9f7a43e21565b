package dev.transcript.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.command.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets an RFC 7807 answer with the right status — 400 naming the field, 404, 409 — and
 * appends nothing: neither to the aggregate it names nor anywhere else in the event store.
 */
@LocalInfrastructure
class RefusedCommandsIT {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    // --- 400: the field is named

    @Test
    void an_invalid_email_is_refused_naming_the_email_field() {
        String email = "not-an-email-" + System.nanoTime();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/users", json("email", email, "password", PASSWORD, "role", "user")));

        assertInvalidField(answer, "email");
        assertThat(claimsOf(email)).isZero();
    }

    @Test
    void a_password_shorter_than_eight_characters_is_refused_naming_the_password_field() {
        String email = uniqueEmail();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/users", json("email", email, "password", "short", "role", "user")));

        assertInvalidField(answer, "password");
        assertThat(claimsOf(email)).isZero();
    }

    @Test
    void an_unknown_role_is_refused_naming_the_role_field() {
        String email = uniqueEmail();
        Http.Answer registration = appendingNothing(null,
                () -> http.post("/api/users", json("email", email, "password", PASSWORD, "role", "root")));
        assertInvalidField(registration, "role");
        assertThat(claimsOf(email)).isZero();

        String userId = registerUser();
        Http.Answer roleChange = appendingNothing(userId,
                () -> http.post("/api/users/" + userId + "/role", json("role", "root")));
        assertInvalidField(roleChange, "role");
    }

    @Test
    void a_malformed_json_body_is_refused_as_a_malformed_request() {
        String sessionId = startSession(registerUser());
        Http.Answer registration = appendingNothing(null,
                () -> http.post("/api/users", "{\"email\": \"" + uniqueEmail() + "\", \"password\": "));
        Http.Answer message = appendingNothing(sessionId,
                () -> http.post("/api/sessions/" + sessionId + "/messages", "{role: user, content: 'hi'}"));

        for (Http.Answer answer : List.of(registration, message)) {
            assertProblem(answer, 400);
            assertThat(answer.text("title")).isEqualTo("Malformed request");
            assertThat(answer.text("detail")).contains("JSON");
        }
    }

    @Test
    void a_value_of_the_wrong_type_is_refused_naming_its_field() {
        String userId = registerUser();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/sessions", "{\"userId\": \"" + userId + "\", \"ttlSeconds\": \"an hour\"}"));

        assertInvalidField(answer, "ttlSeconds");
    }

    @Test
    void a_session_lifetime_of_zero_seconds_is_refused_naming_ttl_seconds() {
        String userId = registerUser();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/sessions", json("userId", userId, "ttlSeconds", 0)));

        assertInvalidField(answer, "ttlSeconds");
        assertThat(sessionsStartedFor(userId)).isZero();
    }

    @Test
    void a_commit_hash_that_is_not_hex_is_refused_naming_commit_hash() {
        String sessionId = startSession(registerUser());
        postMessage(sessionId, "hello");
        Http.Answer answer = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/checkpoints",
                json("commitHash", "xyz", "messageNumber", 1, "description", "scaffold", "filesChanged", 1)));

        assertInvalidField(answer, "commitHash");
    }

    @Test
    void negative_token_counts_are_refused_naming_the_token_field() {
        String sessionId = startSession(registerUser());
        Http.Answer usage = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/token-usage",
                json("model", "gpt-x", "inputTokens", -1, "outputTokens", 5)));
        Http.Answer message = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "user", "content", "hello", "tokensUsed", -3)));

        assertInvalidField(usage, "inputTokens");
        assertInvalidField(message, "tokensUsed");
    }

    @Test
    void a_checkpoint_beyond_the_conversation_is_refused_naming_message_number() {
        String sessionId = startSession(registerUser());
        postMessage(sessionId, "hello");
        Http.Answer answer = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/checkpoints",
                json("commitHash", "a1b2c3d4e5", "messageNumber", 2, "description", "too far", "filesChanged", 1)));

        assertInvalidField(answer, "messageNumber");
    }

    @Test
    void a_charge_for_a_message_of_another_session_is_refused_naming_chat_message_id() {
        String userId = registerUser();
        String ownSession = startSession(userId);
        String otherSession = startSession(userId);
        postMessage(ownSession, "mine");
        String othersMessage = postMessage(otherSession, "theirs");
        Http.Answer answer = appendingNothing(ownSession, () -> http.post("/api/sessions/" + ownSession + "/token-usage",
                json("model", "gpt-x", "inputTokens", 10, "outputTokens", 5, "chatMessageId", othersMessage)));

        assertInvalidField(answer, "chatMessageId");
        assertThat(answer.text("detail")).contains(othersMessage);
    }

    @Test
    void a_chat_session_title_blank_or_too_long_or_no_user_is_refused_naming_the_field() {
        String userId = registerUser();
        Http.Answer blank = appendingNothing(null, () -> http.post("/api/chat-sessions",
                json("userId", userId, "title", "   ")));
        Http.Answer tooLong = appendingNothing(null, () -> http.post("/api/chat-sessions",
                json("userId", userId, "title", "t".repeat(256))));
        Http.Answer noUser = appendingNothing(null, () -> http.post("/api/chat-sessions", json("title", "Recipes")));

        assertInvalidField(blank, "title");
        assertInvalidField(tooLong, "title");
        assertInvalidField(noUser, "userId");
    }

    @Test
    void a_blank_or_too_long_conversation_title_is_refused_naming_title() {
        String sessionId = startSession(registerUser());
        Http.Answer blank = appendingNothing(sessionId,
                () -> http.put("/api/sessions/" + sessionId + "/title", json("title", " \t ")));
        Http.Answer tooLong = appendingNothing(sessionId,
                () -> http.put("/api/sessions/" + sessionId + "/title", json("title", " " + "t".repeat(256) + " ")));
        Http.Answer none = appendingNothing(sessionId, () -> http.put("/api/sessions/" + sessionId + "/title", "{}"));

        assertInvalidField(blank, "title");
        assertInvalidField(tooLong, "title");
        assertInvalidField(none, "title");
    }

    @Test
    void message_attachments_metadata_tool_calls_and_model_out_of_shape_are_refused_naming_the_field() {
        String sessionId = startSession(registerUser());
        String messages = "/api/sessions/" + sessionId + "/messages";
        Http.Answer tooMany = appendingNothing(sessionId, () -> http.post(messages, json("role", "user",
                "content", "hi", "tokensUsed", 1, "attachments", Collections.nCopies(51, Map.of("name", "a.txt")))));
        Http.Answer nullAttachment = appendingNothing(sessionId, () -> http.post(messages,
                "{\"role\":\"user\",\"content\":\"hi\",\"tokensUsed\":1,\"attachments\":[null]}"));
        Http.Answer listMetadata = appendingNothing(sessionId, () -> http.post(messages, json("role", "user",
                "content", "hi", "tokensUsed", 1, "metadata", List.of("not", "an", "object"))));
        Http.Answer textToolCalls = appendingNothing(sessionId, () -> http.post(messages, json("role", "assistant",
                "content", "hi", "tokensUsed", 1, "toolCalls", "bash ls")));
        Http.Answer emptyModel = appendingNothing(sessionId, () -> http.post(messages, json("role", "assistant",
                "content", "hi", "tokensUsed", 1, "model", "")));
        Http.Answer longModel = appendingNothing(sessionId, () -> http.post(messages, json("role", "assistant",
                "content", "hi", "tokensUsed", 1, "model", "m".repeat(256))));

        assertInvalidField(tooMany, "attachments");
        assertInvalidField(nullAttachment, "attachments[0]");
        assertInvalidField(listMetadata, "metadata");
        assertInvalidField(textToolCalls, "toolCalls");
        assertInvalidField(emptyModel, "model");
        assertInvalidField(longModel, "model");
    }

    @Test
    void a_port_out_of_range_or_a_url_that_is_not_absolute_http_is_refused_naming_it() {
        String sessionId = runningSandbox();
        String exposed = "/api/sessions/" + sessionId + "/container/exposed";
        Http.Answer portZero = appendingNothing(sessionId,
                () -> http.post(exposed, json("port", 0, "url", "http://localhost:8080")));
        Http.Answer portTooHigh = appendingNothing(sessionId,
                () -> http.post(exposed, json("port", 65_536, "url", "http://localhost:8080")));
        Http.Answer ftp = appendingNothing(sessionId, () -> http.post(exposed, json("port", 8080, "url", "ftp://host/")));
        Http.Answer relative = appendingNothing(sessionId, () -> http.post(exposed, json("port", 8080, "url", "/app")));
        Http.Answer notAUri = appendingNothing(sessionId,
                () -> http.post(exposed, json("port", 8080, "url", "http://exa mple.com/")));
        Http.Answer tooLong = appendingNothing(sessionId, () -> http.post(exposed,
                json("port", 8080, "url", "https://example.com/" + "p".repeat(1981))));

        assertInvalidField(portZero, "port");
        assertInvalidField(portTooHigh, "port");
        for (Http.Answer answer : List.of(ftp, relative, notAUri, tooLong)) {
            assertInvalidField(answer, "url");
        }
    }

    @Test
    void a_label_value_over_1000_characters_is_refused_naming_the_label() {
        String sessionId = runningSandbox();
        Http.Answer answer = appendingNothing(sessionId, () -> http.put("/api/sessions/" + sessionId
                + "/container/labels", json("labels", Map.of("owner", "ada", "notes", "n".repeat(1001)), "metadata",
                Map.of())));

        assertInvalidField(answer, "labels[notes]");
    }

    @Test
    void file_fields_out_of_shape_are_refused_naming_the_field() {
        String sessionId = runningSandbox();
        String files = "/api/sessions/" + sessionId + "/files";
        Http.Answer negativeSize = appendingNothing(sessionId, () -> http.post(files,
                file("/w/a.txt", "a.txt", -1, "text/plain")));
        Http.Answer blankPath = appendingNothing(sessionId, () -> http.post(files, file(" ", "a.txt", 1, null)));
        Http.Answer longPath = appendingNothing(sessionId, () -> http.post(files,
                file("/" + "p".repeat(4096), "a.txt", 1, null)));
        Http.Answer longName = appendingNothing(sessionId, () -> http.post(files,
                file("/w/a.txt", "n".repeat(256), 1, null)));
        Http.Answer noSubtype = appendingNothing(sessionId, () -> http.post(files, file("/w/a.txt", "a.txt", 1, "text")));
        Http.Answer longMimeType = appendingNothing(sessionId, () -> http.post(files,
                file("/w/a.txt", "a.txt", 1, "application/" + "x".repeat(89))));

        assertInvalidField(negativeSize, "fileSize");
        assertInvalidField(blankPath, "filePath");
        assertInvalidField(longPath, "filePath");
        assertInvalidField(longName, "fileName");
        assertInvalidField(noSubtype, "mimeType");
        assertInvalidField(longMimeType, "mimeType");
    }

    @Test
    void a_path_id_that_is_not_a_uuid_is_refused_naming_the_path_variable() {
        Http.Answer message = appendingNothing(null, () -> http.post("/api/sessions/not-a-uuid/messages",
                json("role", "user", "content", "hello", "tokensUsed", 1)));
        Http.Answer stop = appendingNothing(null, () -> http.post("/api/sessions/12345/stop", "{}"));
        Http.Answer role = appendingNothing(null, () -> http.post("/api/users/nobody/role", json("role", "admin")));
        Http.Answer audit = http.get("/api/audit/sessions/not-a-uuid/events");
        String sessionId = startSession(registerUser());
        Http.Answer file = appendingNothing(sessionId,
                () -> http.delete("/api/sessions/" + sessionId + "/files/not-a-file-id"));

        assertInvalidField(message, "sessionId");
        assertInvalidField(stop, "id");
        assertInvalidField(role, "id");
        assertInvalidField(audit, "id");
        assertInvalidField(file, "fileId");
    }

    @Test
    void pipeline_input_out_of_shape_is_refused_naming_the_field() {
        String userId = registerUser();
        String executionId = startPipeline(userId);
        String run = "/api/pipelines/" + executionId;
        Http.Answer noUser = appendingNothing(null, () -> http.post("/api/pipelines", json("pipelineName", "index")));
        Http.Answer blankName = appendingNothing(null, () -> http.post("/api/pipelines",
                json("userId", userId, "pipelineName", " \t ")));
        Http.Answer longName = appendingNothing(null, () -> http.post("/api/pipelines",
                json("userId", userId, "pipelineName", " " + "p".repeat(101) + " ")));
        Http.Answer listInput = appendingNothing(null, () -> http.post("/api/pipelines",
                json("userId", userId, "pipelineName", "index", "input", List.of("not", "an", "object"))));
        Http.Answer textOutput = appendingNothing(executionId, () -> http.post(run + "/complete",
                json("output", "done")));
        Http.Answer noError = appendingNothing(executionId, () -> http.post(run + "/fail", "{}"));
        Http.Answer blankError = appendingNothing(executionId, () -> http.post(run + "/fail",
                json("errorMessage", "   ")));
        Http.Answer longError = appendingNothing(executionId, () -> http.post(run + "/fail",
                json("errorMessage", "e".repeat(10_001))));
        Http.Answer notAUuid = appendingNothing(null, () -> http.post("/api/pipelines/not-a-uuid/complete", "{}"));

        assertInvalidField(noUser, "userId");
        assertInvalidField(blankName, "pipelineName");
        assertInvalidField(longName, "pipelineName");
        assertInvalidField(listInput, "input");
        assertInvalidField(textOutput, "output");
        assertInvalidField(noError, "errorMessage");
        assertInvalidField(blankError, "errorMessage");
        assertInvalidField(longError, "errorMessage");
        assertInvalidField(notAUuid, "id");
    }

    // --- 404: the thing named does not exist

    @Test
    void a_message_to_an_unknown_session_is_not_found() {
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = appendingNothing(unknown, () -> http.post("/api/sessions/" + unknown + "/messages",
                json("role", "user", "content", "anyone there?", "tokensUsed", 1)));

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
        assertThat(eventsOf(unknown)).isZero();
    }

    @Test
    void a_role_change_of_an_unknown_user_is_not_found() {
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = appendingNothing(unknown,
                () -> http.post("/api/users/" + unknown + "/role", json("role", "admin")));

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
        assertThat(eventsOf(unknown)).isZero();
    }

    @Test
    void a_session_for_an_unknown_user_is_not_found() {
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/sessions", json("userId", unknown, "ttlSeconds", 3600)));

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
        assertThat(sessionsStartedFor(unknown)).isZero();
    }

    @Test
    void a_chat_session_for_an_unknown_user_is_not_found() {
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/chat-sessions", json("userId", unknown, "title", "Recipes")));

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
    }

    @Test
    void titling_an_unknown_session_is_not_found() {
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = appendingNothing(unknown,
                () -> http.put("/api/sessions/" + unknown + "/title", json("title", "Recipes")));

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
    }

    @Test
    void labels_and_deletion_of_a_container_a_session_does_not_have_are_not_found() {
        String sessionId = startSession(registerUser());
        String chatId = startChatSession(registerUser());
        Http.Answer labels = appendingNothing(sessionId, () -> http.put("/api/sessions/" + sessionId
                + "/container/labels", json("labels", Map.of("owner", "ada"), "metadata", Map.of())));
        Http.Answer deletion = appendingNothing(chatId, () -> http.delete("/api/sessions/" + chatId + "/container"));

        assertProblem(labels, 404);
        assertThat(labels.text("detail")).contains("has no container");
        assertProblem(deletion, 404);
        assertThat(deletion.text("detail")).contains("chat session " + chatId + " has no container");
    }

    @Test
    void deleting_a_file_the_session_does_not_have_is_not_found() {
        String sessionId = runningSandbox();
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = appendingNothing(sessionId,
                () -> http.delete("/api/sessions/" + sessionId + "/files/" + unknown));

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
    }

    @Test
    void the_audit_of_an_unknown_session_is_not_found() {
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = http.get("/api/audit/sessions/" + unknown + "/events");

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
    }

    @Test
    void a_pipeline_run_for_an_unknown_user_or_an_unknown_run_is_not_found() {
        String unknownUser = UUID.randomUUID().toString();
        String unknownRun = UUID.randomUUID().toString();
        Http.Answer start = appendingNothing(null, () -> http.post("/api/pipelines",
                json("userId", unknownUser, "pipelineName", "index")));
        Http.Answer complete = appendingNothing(unknownRun,
                () -> http.post("/api/pipelines/" + unknownRun + "/complete", "{}"));
        Http.Answer fail = appendingNothing(unknownRun,
                () -> http.post("/api/pipelines/" + unknownRun + "/fail", json("errorMessage", "boom")));

        assertProblem(start, 404);
        assertThat(start.text("detail")).contains(unknownUser);
        for (Http.Answer answer : List.of(complete, fail)) {
            assertProblem(answer, 404);
            assertThat(answer.text("detail")).contains(unknownRun);
        }
    }

    // --- 409: the state forbids it

    @Test
    void a_message_to_a_stopped_session_is_a_conflict() {
        String sessionId = startSession(registerUser());
        postMessage(sessionId, "before the end");
        assertThat(http.post("/api/sessions/" + sessionId + "/stop", "{}").status()).isEqualTo(200);

        Http.Answer answer = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "user", "content", "after the end", "tokensUsed", 1)));

        assertProblem(answer, 409);
        assertThat(answer.text("detail")).contains("stopped");
    }

    @Test
    void registering_a_taken_email_is_a_conflict() {
        String email = uniqueEmail();
        Http.Answer first = http.post("/api/users", json("email", email, "password", PASSWORD, "role", "user"));
        assertThat(first.status()).as(first.body().toString()).isEqualTo(201);

        Http.Answer again = appendingNothing(null, () -> http.post("/api/users",
                json("email", email.toUpperCase(Locale.ROOT), "password", "another password", "role", "admin")));

        assertProblem(again, 409);
        assertThat(jdbc.queryForList("SELECT user_id::text FROM eventstore.claimed_email WHERE email = ?",
                String.class, email.toLowerCase(Locale.ROOT))).containsExactly(first.text("id"));
        assertThat(eventsOf(first.text("id"))).isEqualTo(1);
    }

    @Test
    void a_container_name_taken_by_another_session_is_a_conflict() {
        String userId = registerUser();
        String holder = startSession(userId);
        String latecomer = startSession(userId);
        String name = "sandbox-" + System.nanoTime();
        Http.Answer first = http.post("/api/sessions/" + holder + "/container", container("c-1-" + name, name));
        assertThat(first.status()).as(first.body().toString()).isEqualTo(201);

        Http.Answer second = appendingNothing(latecomer,
                () -> http.post("/api/sessions/" + latecomer + "/container", container("c-2-" + name, name)));

        assertProblem(second, 409);
        assertThat(second.text("detail")).contains(name);
        assertThat(jdbc.queryForList(
                "SELECT session_id::text FROM eventstore.claimed_container_name WHERE container_name = ?",
                String.class, name)).containsExactly(holder);
    }

    @Test
    void stopping_a_session_twice_is_a_conflict() {
        String sessionId = startSession(registerUser());
        Http.Answer first = http.post("/api/sessions/" + sessionId + "/stop", "{}");
        assertThat(first.status()).isEqualTo(200);

        Http.Answer second = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/stop", "{}"));

        assertProblem(second, 409);
        assertThat(second.text("detail")).contains("stopped");
        assertThat(eventsOf(sessionId)).isEqualTo(2);
    }

    @Test
    void a_container_an_extension_or_a_checkpoint_for_a_chat_session_is_a_conflict() {
        String chatId = startChatSession(registerUser());
        postMessage(chatId, "hello");
        Http.Answer container = appendingNothing(chatId, () -> http.post("/api/sessions/" + chatId + "/container",
                container("c-" + chatId, "sandbox-" + chatId)));
        Http.Answer extension = appendingNothing(chatId,
                () -> http.post("/api/sessions/" + chatId + "/extend", json("ttlSeconds", 60)));
        Http.Answer checkpoint = appendingNothing(chatId, () -> http.post("/api/sessions/" + chatId + "/checkpoints",
                json("commitHash", "a1b2c3d4e5", "messageNumber", 1, "description", "none", "filesChanged", 1)));

        assertProblem(container, 409);
        assertThat(container.text("detail")).contains("a chat session has no container");
        assertProblem(extension, 409);
        assertThat(extension.text("detail")).contains("a chat session has no time limit");
        assertProblem(checkpoint, 409);
        assertThat(checkpoint.text("detail")).contains("a chat session has no git repository");
        assertThat(jdbc.queryForList("SELECT session_id::text FROM eventstore.claimed_container_name"
                + " WHERE container_name = ?", String.class, "sandbox-" + chatId)).isEmpty();
    }

    @Test
    void exposing_a_container_that_is_not_running_is_a_conflict() {
        String sessionId = startSession(registerUser());
        expect(201, http.post("/api/sessions/" + sessionId + "/container",
                container("c-" + sessionId, "sandbox-" + sessionId)));

        Http.Answer answer = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId
                + "/container/exposed", json("port", 8080, "url", "http://localhost:8080")));

        assertProblem(answer, 409);
        assertThat(answer.text("detail")).contains("creating");
    }

    @Test
    void deleting_a_running_or_a_deleted_container_and_labeling_a_deleted_one_are_conflicts() {
        String sessionId = runningSandbox();
        String container = "/api/sessions/" + sessionId + "/container";
        Http.Answer running = appendingNothing(sessionId, () -> http.delete(container));
        expect(200, http.post(container + "/stopped", "{}"));
        expect(200, http.delete(container));
        Http.Answer again = appendingNothing(sessionId, () -> http.delete(container));
        Http.Answer labels = appendingNothing(sessionId,
                () -> http.put(container + "/labels", json("labels", Map.of("owner", "ada"))));

        assertProblem(running, 409);
        assertThat(running.text("detail")).contains("running");
        assertProblem(again, 409);
        assertThat(again.text("detail")).contains("deleted");
        assertProblem(labels, 409);
        assertThat(labels.text("detail")).contains("deleted");
    }

    @Test
    void a_file_without_a_container_or_deleted_twice_is_a_conflict() {
        String withoutContainer = startSession(registerUser());
        Http.Answer stored = appendingNothing(withoutContainer, () -> http.post("/api/sessions/" + withoutContainer
                + "/files", file("/w/a.txt", "a.txt", 1, "text/plain")));
        String sessionId = runningSandbox();
        String fileId = expect(201, http.post("/api/sessions/" + sessionId + "/files",
                file("/w/a.txt", "a.txt", 1, "text/plain"))).text("id");
        expect(200, http.delete("/api/sessions/" + sessionId + "/files/" + fileId));
        Http.Answer again = appendingNothing(sessionId,
                () -> http.delete("/api/sessions/" + sessionId + "/files/" + fileId));

        assertProblem(stored, 409);
        assertThat(stored.text("detail")).contains("has no container");
        assertProblem(again, 409);
        assertThat(again.text("detail")).contains(fileId).contains("deleted");
    }

    @Test
    void ending_a_pipeline_run_that_is_not_running_is_a_conflict() {
        String userId = registerUser();
        String completed = startPipeline(userId);
        expect(200, http.post("/api/pipelines/" + completed + "/complete", "{}"));
        String failed = startPipeline(userId);
        expect(200, http.post("/api/pipelines/" + failed + "/fail", json("errorMessage", "out of memory")));

        for (String run : List.of(completed, failed)) {
            Http.Answer complete = appendingNothing(run,
                    () -> http.post("/api/pipelines/" + run + "/complete", json("output", Map.of("again", true))));
            Http.Answer fail = appendingNothing(run,
                    () -> http.post("/api/pipelines/" + run + "/fail", json("errorMessage", "again")));
            for (Http.Answer answer : List.of(complete, fail)) {
                assertProblem(answer, 409);
                assertThat(answer.text("detail")).contains(run).contains("is not running")
                        .contains(run.equals(completed) ? "completed" : "failed");
            }
        }
    }

    // --- helpers

    /**
     * Sends the request and checks that it appended nothing: no event of the aggregate (when one is named)
     * and no event at all.
     */
    private Http.Answer appendingNothing(String aggregateId, Supplier<Http.Answer> request) {
        long aggregateBefore = aggregateId == null ? 0 : eventsOf(aggregateId);
        long allBefore = allEvents();
        Http.Answer answer = request.get();
        if (aggregateId != null) {
            assertThat(eventsOf(aggregateId)).as("events of %s after %s", aggregateId, answer.body())
                    .isEqualTo(aggregateBefore);
        }
        assertThat(allEvents()).as("all events after %s", answer.body()).isEqualTo(allBefore);
        return answer;
    }

    private static void assertProblem(Http.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith(PROBLEM_JSON);
        assertThat(answer.body().path("status").asInt()).isEqualTo(status);
        assertThat(answer.text("title")).isNotBlank();
        assertThat(answer.text("detail")).isNotBlank();
    }

    private static void assertInvalidField(Http.Answer answer, String field) {
        assertProblem(answer, 400);
        List<String> fields = new ArrayList<>();
        for (JsonNode error : answer.body().path("errors")) {
            fields.add(error.path("field").asText());
            assertThat(error.path("message").asText()).as("message of " + error).isNotBlank();
        }
        assertThat(fields).as("fields named by %s", answer.body()).containsExactly(field);
    }

    private static String container(String containerId, String containerName) {
        return json("containerId", containerId, "containerName", containerName, "image", "python:3.12",
                "cpuLimit", 1, "memoryLimitMb", 512);
    }

    private static String file(String path, String name, long size, String mimeType) {
        return json("filePath", path, "fileName", name, "fileSize", size, "mimeType", mimeType);
    }

    private static Http.Answer expect(int status, Http.Answer answer) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        return answer;
    }

    private static String uniqueEmail() {
        return "refused+" + System.nanoTime() + "@example.com";
    }

    private String registerUser() {
        Http.Answer registered = http.post("/api/users", json("email", uniqueEmail(), "password", PASSWORD,
                "role", "user"));
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
        return registered.text("id");
    }

    private String startSession(String userId) {
        Http.Answer started = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        return started.text("sessionId");
    }

    private String startChatSession(String userId) {
        return expect(201, http.post("/api/chat-sessions", json("userId", userId))).text("sessionId");
    }

    /** A session whose container runs. */
    private String runningSandbox() {
        String sessionId = startSession(registerUser());
        expect(201, http.post("/api/sessions/" + sessionId + "/container",
                container("c-" + sessionId, "sandbox-" + sessionId)));
        expect(200, http.post("/api/sessions/" + sessionId + "/container/started", "{}"));
        return sessionId;
    }

    private String postMessage(String sessionId, String content) {
        Http.Answer posted = http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "user", "content", content, "tokensUsed", 1));
        assertThat(posted.status()).as(posted.body().toString()).isEqualTo(201);
        return posted.text("messageId");
    }

    private String startPipeline(String userId) {
        return expect(201, http.post("/api/pipelines", json("userId", userId, "pipelineName", "index"))).text("id");
    }

    private long eventsOf(String aggregateId) {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aggregateId);
    }

    private long allEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry", Long.class);
    }

    private long claimsOf(String email) {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.claimed_email WHERE email = lower(?)",
                Long.class, email);
    }

    private long sessionsStartedFor(String userId) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM eventstore.domain_event_entry
                WHERE payload_type LIKE '%SessionStarted%'
                  AND convert_from(payload, 'UTF8')::jsonb ->> 'userId' = ?""", Long.class, userId);
    }
}
