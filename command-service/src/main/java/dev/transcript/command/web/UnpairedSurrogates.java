package dev.transcript.command.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;

/**
 * Refuses a string holding half a surrogate pair ({@code "\ud800"} escaped in JSON). Jackson keeps it as
 * read, but no UTF-8 writer can: it would reach the store and the read models altered or not at all.
 * Checked on every string value and object key of a body, free-form values included (Jackson's untyped
 * deserializer uses a registered String deserializer); keys of objects nested inside free-form values are
 * left to the event contract's validation.
 */
final class UnpairedSurrogates {

    private UnpairedSurrogates() {
    }

    static SimpleModule refused() {
        return new SimpleModule("unpaired-surrogates-refused")
                .addDeserializer(String.class, new Values())
                .addKeyDeserializer(String.class, new Keys());
    }

    static boolean hasUnpaired(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String checked(JsonParser parser, String text) throws InvalidFormatException {
        if (text != null && hasUnpaired(text)) {
            throw InvalidFormatException.from(parser, "unpaired surrogate in a string", text, String.class);
        }
        return text;
    }

    private static final class Values extends StringDeserializer {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return checked(parser, super.deserialize(parser, context));
        }
    }

    private static final class Keys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            return checked(context.getParser(), key);
        }
    }
}
