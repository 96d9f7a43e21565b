package dev.transcript.projection.stream;

import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.projection.LocalInfrastructure;
import dev.transcript.projection.chatapp.ChatAppDatabase;
import dev.transcript.projection.chatapp.ChatAppProjector;
import dev.transcript.projection.support.ChatAppTables;
import dev.transcript.projection.support.DeadLetterTopic;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Finding 3 of issue 12: metadata nested deep overflowed the stack of the chat_app projector's listener thread
 * (services run with {@code -Xss512k}) while it wrote the metadata. spring-kafka stops a container on an
 * {@link Error}, and stopped it again on the same record after every restart: the read model stalled for good.
 *
 * <p>Whether Jackson overflows at a given depth depends on the stack and on how far the JIT has compiled (and
 * shrunk the frames of) its serializers, which no test controls; so here the chat_app projector is wrapped to
 * overflow for real (unbounded recursion, the JVM's own {@link StackOverflowError}) on any message whose metadata
 * is nested deeper than {@value #OVERFLOWS_BEYOND}, and is otherwise the real one. Through the real broker and
 * listener: the event is dead-lettered with the overflow as its reason, its aggregate moves on, the session's next
 * message is applied, and the container never stopped.
 */
@LocalInfrastructure
class DeepNestingIT {

    static final int OVERFLOWS_BEYOND = 500;
    /** Within the parser's nesting limit (1,000), so the event decodes. */
    static final int DEPTH = 900;
    static final Duration LANDS = Duration.ofSeconds(60);

    @TestConfiguration(proxyBeanMethods = false)
    static class OverflowingOnDeepMetadata {

        @Bean
        static BeanPostProcessor overflowOnDeepMetadata() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof ChatAppProjector)) {
                        return bean;
                    }
                    ProxyFactory proxy = new ProxyFactory(bean);
                    proxy.setProxyTargetClass(true);
                    proxy.addAdvice((MethodInterceptor) call -> {
                        if (call.getMethod().getName().equals("apply")
                                && call.getArguments()[0] instanceof Envelope envelope
                                && envelope.event() instanceof MessagePosted posted
                                && depthOf(posted.metadata()) > OVERFLOWS_BEYOND) {
                            return overflow(0);
                        }
                        return call.proceed();
                    });
                    return proxy.getProxy();
                }
            };
        }

        private static Object overflow(int depth) {
            return overflow(depth + 1) == null ? null : Outcome.APPLIED;
        }

        /** Walked with a loop: the depth itself must not overflow anything. */
        private static int depthOf(Object value) {
            int depth = 0;
            while (value instanceof Map<?, ?> map && !map.isEmpty()) {
                depth++;
                value = map.values().iterator().next();
            }
            return depth;
        }
    }

    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    KafkaProperties kafkaProperties;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    ChatAppDatabase chatApp;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    @Test
    void a_stack_overflow_on_one_event_dead_letters_it_and_its_session_goes_on_without_stopping_the_listener()
            throws Exception {
        Map<String, Object> metadata = nested(DEPTH);
        SessionStory story = new SessionStory();
        EventLog log = new EventLog();
        send(log.append(story.userRegistered()));
        send(log.append(story.sessionStarted(log.now().plusSeconds(3600))));
        Published deep = log.append(new MessagePosted(story.sessionId, story.conversationId, story.messageId(1), 1,
                MessageRole.USER, "deep", 1, List.of(), metadata, null, null));
        RecordMetadata deepAt = send(deep);
        Published next = log.append(story.message(2, MessageRole.USER, "after the deep one", 1));
        send(next);

        ConsumerRecord<String, byte[]> deadLetter = DeadLetterTopic.awaitDeadLetterOf(brokers(),
                ChatAppProjector.READ_MODEL, deepAt.partition(), deepAt.offset(), LANDS);
        assertThat(DeadLetterTopic.text(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("StackOverflowError");
        ChatAppTables tables = new ChatAppTables(chatApp);
        await("the session's next message applied").atMost(LANDS).untilAsserted(() ->
                assertThat(tables.row("chat_messages", story.messageId(2))).containsEntry("content", "after the deep one"));
        assertThat(tables.row("chat_messages", story.messageId(1))).isEmpty();
        assertThat(jdbc.queryForObject("""
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = 'chat_app' AND aggregate_id = ?""",
                Long.class, story.sessionId.toString())).isEqualTo(next.sequence());
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM projection.dead_letter WHERE read_model = 'chat_app' AND aggregate_id = ?
                AND sequence = ?""", Integer.class, story.sessionId.toString(), deep.sequence())).isEqualTo(1);

        MessageListenerContainer container = listeners.getListenerContainer(ChatAppProjector.READ_MODEL);
        assertThat(container.isRunning()).isTrue();
        assertThat(container.isInExpectedState()).as("no consumer of the container stopped").isTrue();
        assertThat(meters.find("transcript.projection.listener_restarts").tag("read_model", "chat_app").counter())
                .as("never restarted: it never stopped").isNull();
    }

    private RecordMetadata send(Published published) throws Exception {
        return kafka.send(published.producerRecord()).get(30, TimeUnit.SECONDS).getRecordMetadata();
    }

    private static Map<String, Object> nested(int depth) {
        Map<String, Object> value = Map.of("leaf", 1);
        for (int i = 1; i < depth; i++) {
            value = Map.of("n", value);
        }
        return value;
    }

    private String brokers() {
        return String.join(",", kafkaProperties.getBootstrapServers());
    }
}
