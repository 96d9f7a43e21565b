package dev.transcript.command.file;

import dev.transcript.command.Commands;
import dev.transcript.command.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/** Files a session's container generated: recorded and deleted here, their bytes live elsewhere. */
@RestController
@RequestMapping("/api/sessions/{sessionId}/files")
public class FileController {

    /** type/subtype with RFC 6838's name characters, e.g. text/markdown or application/vnd.api+json. */
    static final String MIME_TYPE = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*";

    private final Commands commands;

    FileController(Commands commands) {
        this.commands = commands;
    }

    /**
     * builder indexes file_path, and a btree entry holds at most 2,704 bytes: the schema allows 2,048 characters
     * and 2,048 bytes of UTF-8; the bytes are checked with the event, before it is appended.
     */
    static final int MAX_FILE_PATH = 2_048;

    record StoreFileRequest(@NotBlank @Size(max = MAX_FILE_PATH) String filePath,
                            @NotBlank @Size(max = 255) String fileName,
                            @NotNull @Min(0) Long fileSize,
                            @Size(max = 100) @Pattern(regexp = MIME_TYPE, message = "must be of the form type/subtype")
                            String mimeType) {
    }

    @PostMapping
    ResponseEntity<Map<String, UUID>> store(@PathVariable UUID sessionId, @Valid @RequestBody StoreFileRequest request) {
        UUID fileId = commands.send(new StoreFile(sessionId, Ids.next(), request.filePath(), request.fileName(),
                request.fileSize(), request.mimeType()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", fileId));
    }

    @DeleteMapping("/{fileId}")
    ResponseEntity<Void> delete(@PathVariable UUID sessionId, @PathVariable UUID fileId) {
        commands.send(new DeleteFile(sessionId, fileId));
        return ResponseEntity.ok().build();
    }
}
