package dev.transcript.events;

/**
 * An event version that a newer one replaced. It stays in the catalogue, with its schema, because the
 * event store and the topic still hold it; readers turn it into the current version with {@link #upcast()}
 * and never see it otherwise. Its record is named after the version ({@code MessagePostedV1}) and kept out
 * of the sealed hierarchy, so that projectors' switches list current events only.
 */
public interface Superseded<T extends TranscriptEvent> extends TranscriptEvent {

    T upcast();
}
