package dev.transcript.events;

/**
 * The wire identity of one event record: {@code transcript.<stream>.<Name>.v<version>}, e.g.
 * {@code transcript.session.MessagePosted.v1}. It is the CloudEvents {@code type} and the name of the
 * event's JSON Schema.
 */
public record EventType(Class<? extends TranscriptEvent> recordClass, String stream, int version) {

    public String name() {
        return recordClass.getSimpleName();
    }

    public String typeName() {
        return "transcript." + stream + "." + name() + ".v" + version;
    }

    /** Classpath location of the checked-in JSON Schema. */
    public String schemaResource() {
        return "/schemas/" + typeName() + ".json";
    }
}
