package dev.transcript.command.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.EventBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/** Registers {@link ContractCheck} on the event bus (the event store), where every applied event passes. */
@Configuration(proxyBeanMethods = false)
class ContractCheckConfiguration {

    @Autowired
    void checkEveryEventBeforeItIsAppended(EventBus eventBus, ObjectMapper json) {
        eventBus.registerDispatchInterceptor(new ContractCheck(json));
    }
}
