package dev.transcript.command.usage;

import dev.transcript.command.Commands;
import dev.transcript.command.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/sessions/{sessionId}/token-usage")
public class TokenUsageController {

    private final Commands commands;

    TokenUsageController(Commands commands) {
        this.commands = commands;
    }

    record RecordTokenUsageRequest(@NotBlank @Size(max = 255) String model,
                                   @NotNull @Min(0) @Max(RecordTokenUsage.MAX_TOKENS) Integer inputTokens,
                                   @NotNull @Min(0) @Max(RecordTokenUsage.MAX_TOKENS) Integer outputTokens,
                                   UUID chatMessageId) {
    }

    @PostMapping
    ResponseEntity<Map<String, UUID>> record(@PathVariable UUID sessionId,
                                             @Valid @RequestBody RecordTokenUsageRequest request) {
        UUID usageId = commands.send(new RecordTokenUsage(sessionId, Ids.next(), request.model(),
                request.inputTokens(), request.outputTokens(), request.chatMessageId()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("usageId", usageId));
    }
}
