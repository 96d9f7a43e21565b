package dev.transcript.command.session;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;

/**
 * Session expiry survives restarts: Axon's DbSchedulerDeadlineManager (auto-configured once this
 * Scheduler exists) keeps deadlines in {@code eventstore.scheduled_tasks}. The data source is
 * transaction-aware, so a deadline is scheduled in the same transaction as the event that set it.
 */
@Configuration(proxyBeanMethods = false)
class DeadlineScheduling {

    @Bean(destroyMethod = "stop")
    Scheduler deadlineScheduler(DataSource dataSource, List<Task<?>> tasks,
                                @Value("${transcript.deadlines.polling-interval:1s}") Duration pollingInterval,
                                @Value("${transcript.deadlines.threads:2}") int threads) {
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), tasks)
                .tableName("eventstore.scheduled_tasks")
                .pollingInterval(pollingInterval)
                .threads(threads)
                .enableImmediateExecution()
                .build();
    }

    /** Started once the application is ready: a deadline must not fire into a half-built context. */
    @EventListener(ApplicationReadyEvent.class)
    void start(ApplicationReadyEvent ready) {
        ready.getApplicationContext().getBean(Scheduler.class).start();
    }
}
