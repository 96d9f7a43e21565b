package dev.transcript.projection.contract;

import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Every candidate of every event type, sorted by the contract: what it allows (to be carried by every read model)
 * and what it refuses (to be refused at the edge: the HTTP edge's test asserts that half against
 * {@link #refused()}). At most {@link #MAX_ALLOWED_PER_TYPE} allowed candidates per type, sampled by the seed.
 */
record Classified(long seed, List<Story> allowed, List<Candidate> refused) {

    static final int MAX_ALLOWED_PER_TYPE = 200;

    static Classified by(Contract contract, long seed) {
        Schemas schemas = new Schemas();
        Random random = new Random(seed);
        Candidates candidates = new Candidates(random);
        Stories stories = new Stories(schemas, random);
        List<Story> allowed = new ArrayList<>();
        List<Candidate> refused = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (EventType type : EventCatalog.all()) {
            List<Story> allowedOfType = new ArrayList<>();
            for (Candidate candidate : candidates.of(type.typeName(), schemas.of(type.typeName()))) {
                Story story = stories.of(candidate);
                if (Stories.UNIQUE.contains(candidate.field()) && !taken.add(candidate.value().toString())) {
                    continue; // a one-character container id drawn twice: another story holds it already
                }
                if (contract.allows(type.typeName(), story.events().getLast().data())) {
                    allowedOfType.add(story);
                } else {
                    refused.add(candidate);
                }
            }
            allowed.addAll(capped(allowedOfType, random));
        }
        return new Classified(seed, List.copyOf(allowed), List.copyOf(refused));
    }

    private static List<Story> capped(List<Story> candidates, Random random) {
        if (candidates.size() <= MAX_ALLOWED_PER_TYPE) {
            return candidates;
        }
        List<Story> shuffled = new ArrayList<>(candidates);
        Collections.shuffle(shuffled, random);
        return shuffled.subList(0, MAX_ALLOWED_PER_TYPE);
    }
}
