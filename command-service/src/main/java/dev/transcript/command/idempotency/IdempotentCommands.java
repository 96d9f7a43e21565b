package dev.transcript.command.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Runs inside each command's transaction (Axon registers it after its transaction interceptor). A keyed
 * command first claims its key; a concurrent request with the same key waits on that row until the first
 * commits, then finds the stored result and answers with it, appending nothing. If the first is refused,
 * its claim rolls back with it and the retry runs the command afresh.
 */
@Component
class IdempotentCommands implements MessageHandlerInterceptor<CommandMessage<?>> {

    static final String KEY = "idempotencyKey";
    static final String FINGERPRINT = "idempotencyFingerprint";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    /** Axon registers interceptor beans on the command bus itself, inside its transaction interceptor. */
    IdempotentCommands(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    static Map<String, String> metaDataOf(IdempotencyKey key) {
        return Map.of(KEY, key.value(), FINGERPRINT, key.fingerprint());
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        Object key = command.getMetaData().get(KEY);
        if (key == null) {
            return chain.proceed();
        }
        String fingerprint = (String) command.getMetaData().get(FINGERPRINT);
        if (!claim(key.toString(), fingerprint)) {
            throw answered(key.toString(), fingerprint);
        }
        Object result = chain.proceed();
        store(key.toString(), result);
        return result;
    }

    private boolean claim(String key, String fingerprint) {
        return jdbc.update("""
                INSERT INTO eventstore.idempotency_key (idempotency_key, fingerprint) VALUES (?, ?)
                ON CONFLICT (idempotency_key) DO NOTHING""", key, fingerprint) == 1;
    }

    private void store(String key, Object result) throws JsonProcessingException {
        jdbc.update("UPDATE eventstore.idempotency_key SET result_type = ?, result_json = ? WHERE idempotency_key = ?",
                result == null ? null : result.getClass().getName(), json.writeValueAsString(result), key);
    }

    private RuntimeException answered(String key, String fingerprint) {
        return jdbc.queryForObject(
                "SELECT fingerprint, result_type, result_json FROM eventstore.idempotency_key WHERE idempotency_key = ?",
                (row, n) -> row.getString("fingerprint").equals(fingerprint)
                        ? new AlreadyAnswered(decode(row.getString("result_type"), row.getString("result_json")))
                        : new KeyReused(key),
                key);
    }

    private Object decode(String type, String value) {
        if (type == null) {
            return null;
        }
        if (!type.startsWith("dev.transcript.") && !type.equals("java.util.UUID")) {
            throw new IllegalStateException("unexpected stored result type " + type);
        }
        try {
            return json.readValue(value, Class.forName(type));
        } catch (ClassNotFoundException | JsonProcessingException e) {
            throw new IllegalStateException("stored result of type " + type + " can't be read", e);
        }
    }
}
