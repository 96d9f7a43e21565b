package dev.transcript.projection.chat;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.UUID;
import java.util.function.Function;

/**
 * The chat read API's own connection pool, logged in as the reader role ({@code transcript.chat.read.datasource.*},
 * by default the service's database as {@code transcript.projection.chat.reader-role}, no password): a role that is
 * no superuser, owns nothing and may only SELECT the three chat tables through the {@code reader_own_rows}
 * policy. Each read is one read-only transaction that first names its user ({@code set_config(
 * 'transcript.user_id', …, true)}, undone at the transaction's end), so its queries need no {@code WHERE user_id}
 * and one that forgets it still sees that user's rows only.
 *
 * <p>Not a {@code DataSource} bean, on purpose: Boot would then back off from the service's own pool, its
 * {@code JdbcTemplate} and its transaction manager, which everything else uses.
 */
@Component
class ChatReadDatabase implements DisposableBean {

    private final HikariDataSource pool;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    ChatReadDatabase(@Value("${transcript.chat.read.datasource.url}") String url,
                     @Value("${transcript.chat.read.datasource.username}") String username,
                     @Value("${transcript.chat.read.datasource.password:}") String password,
                     @Value("${transcript.chat.read.datasource.maximum-pool-size:4}") int maximumPoolSize) {
        // Opened on the first read, not at start-up: the projection runs even where the reader cannot log in yet.
        pool = new HikariDataSource();
        pool.setPoolName("chat-read-pool");
        pool.setJdbcUrl(url);
        pool.setUsername(username);
        pool.setPassword(password);
        pool.setMaximumPoolSize(maximumPoolSize);
        pool.setMinimumIdle(0);
        pool.setReadOnly(true);
        jdbc = new NamedParameterJdbcTemplate(pool);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
        transactions.setReadOnly(true);
    }

    /**
     * Runs {@code query} in one read-only transaction as {@code userId}: the chat tables show that user's rows
     * only. With {@code null}, the setting stays unset and they show none.
     */
    <T> T asUser(@Nullable UUID userId, Function<NamedParameterJdbcTemplate, T> query) {
        return transactions.execute(status -> {
            if (userId != null) {
                jdbc.getJdbcTemplate().queryForObject("SELECT set_config('transcript.user_id', ?, true)",
                        String.class, userId.toString());
            }
            return query.apply(jdbc);
        });
    }

    @Override
    public void destroy() {
        pool.close();
    }
}
