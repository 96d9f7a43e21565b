package dev.transcript.events;

/**
 * The wire identity of one event record: {@code transcript.<stream>.<Name>.v<version>}, e.g.
 * {@code transcript.session.MessagePosted.v2}. It is the CloudEvents {@code type} and the name of the
 * event's JSON Schema.
 *
 * @param current false for a {@link Superseded} version: still read, never written
 */
public record EventType(Class<? extends TranscriptEvent> recordClass, String stream, String name, int version,
                        boolean current) {

    public String typeName() {
        return "transcript." + stream + "." + name + ".v" + version;
    }

    /** Classpath location of the checked-in JSON Schema. */
    public String schemaResource() {
        return "/schemas/" + typeName() + ".json";
    }
}
