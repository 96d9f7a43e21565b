package dev.transcript.projection.contract;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every text value in a read model's tables, read back whole: a generated string the read model keeps must be
 * among them exactly as it was sent (chat_app: as its documented cut, {@link #asChatAppKeepsIt}).
 */
final class StoredTexts {

    /** The PostgreSQL schemas each read model owns. */
    private static final Map<String, List<String>> SCHEMAS = Map.of(
            "gateway", List.of("gateway"), "builder", List.of("builder"), "todo", List.of("todo"),
            "chat", List.of("chat", "auth"), "chat_app", List.of("chat_app"));

    /** chat_app's TEXT on MariaDB/MySQL holds 65,535 bytes of UTF-8 (ChatAppValues). */
    private static final int CHAT_APP_TEXT_BYTES = 65_535;

    private StoredTexts() {
    }

    static Set<String> of(ProjectionUnderTest projection, String readModel) {
        JdbcTemplate jdbc = projection.tablesOf(readModel);
        List<Map<String, Object>> columns = readModel.equals("chat_app") && projection.onMariaDb()
                ? jdbc.queryForList("""
                        SELECT c.table_schema AS s, c.table_name AS t, c.column_name AS c FROM information_schema.columns c
                        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                        WHERE c.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'
                          AND c.data_type IN ('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext')""")
                : jdbc.queryForList("""
                        SELECT c.table_schema AS s, c.table_name AS t, c.column_name AS c FROM information_schema.columns c
                        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                        WHERE c.table_schema = ANY (?) AND t.table_type = 'BASE TABLE'
                          AND c.data_type IN ('text', 'character varying', 'character')""",
                        (Object) SCHEMAS.get(readModel).toArray(String[]::new));
        String quote = projection.onMariaDb() && readModel.equals("chat_app") ? "`" : "\"";
        Set<String> texts = new HashSet<>();
        for (Map<String, Object> column : columns) {
            String name = quote + column.get("c") + quote;
            texts.addAll(jdbc.queryForList("SELECT " + name + " FROM " + quote + column.get("s") + quote + "."
                    + quote + column.get("t") + quote + " WHERE " + name + " IS NOT NULL", String.class));
        }
        return texts;
    }

    /** NUL as U+FFFD, then the longest prefix of whole characters within 65,535 bytes of UTF-8. */
    static String asChatAppKeepsIt(String text) {
        String kept = text.replace('\0', '\uFFFD');
        int bytes = 0;
        for (int i = 0; i < kept.length(); ) {
            int codePoint = kept.codePointAt(i);
            bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes > CHAT_APP_TEXT_BYTES) {
                return kept.substring(0, i);
            }
            i += Character.charCount(codePoint);
        }
        return kept;
    }
}
