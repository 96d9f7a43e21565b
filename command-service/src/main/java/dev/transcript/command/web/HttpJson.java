package dev.transcript.command.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;

/**
 * Request bodies are read by a copy of the service's ObjectMapper with limits of its own: the mapper the
 * event store and the publisher use keeps Jackson's defaults, so an event stored before a limit changed
 * is still readable. Duplicate keys and fractions for integers are refused service-wide
 * ({@code spring.jackson.*} in application.yml).
 */
@Configuration(proxyBeanMethods = false)
class HttpJson {

    /** Free-form objects may nest 32 deep (the event contract); the parser stops well past that. */
    static final int MAX_NESTING_DEPTH = 64;
    static final int MAX_NUMBER_LENGTH = 100;
    static final int MAX_NAME_LENGTH = 1_000;

    @Bean
    MappingJackson2HttpMessageConverter httpJsonConverter(ObjectMapper json, BodyLimit limit) {
        ObjectMapper http = json.copy().registerModule(UnpairedSurrogates.refused());
        int maxBody = Math.toIntExact(limit.maxBytes());
        http.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxStringLength(maxBody)
                .maxDocumentLength(maxBody)
                .build());
        return new MappingJackson2HttpMessageConverter(http);
    }
}
