package dev.transcript.command;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.NoArgGenerator;

import java.util.Random;
import java.util.UUID;

/**
 * New identifiers: UUIDv7, time-ordered, so the primary-key indexes they land in grow at one end.
 *
 * <p>One generator per thread, each with its own {@link Random}: a shared generator, or one over the
 * default SecureRandom (which reads /dev/urandom under a JVM-wide lock), made request threads queue for
 * ids under load. Ids need to be unique, not unpredictable.
 */
public final class Ids {

    private static final ThreadLocal<NoArgGenerator> GENERATOR =
            ThreadLocal.withInitial(() -> Generators.timeBasedEpochRandomGenerator(new Random()));

    private Ids() {
    }

    public static UUID next() {
        return GENERATOR.get().generate();
    }
}
