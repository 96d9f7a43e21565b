package dev.transcript.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedServerTest {

    @TempDir
    Path checkout;

    @Test
    void finds_the_repository_root_by_its_git_directory() throws IOException {
        Files.createDirectory(checkout.resolve(".git"));
        Path module = Files.createDirectories(checkout.resolve("command-service/src"));

        assertThat(EmbeddedServer.repositoryRoot(module)).isEqualTo(checkout);
    }

    @Test
    void finds_the_repository_root_by_its_pom_when_there_is_no_git() throws IOException {
        Files.writeString(checkout.resolve("pom.xml"), "<project><artifactId>transcript</artifactId></project>");
        Path module = Files.createDirectories(checkout.resolve("test-support"));
        // A module pom names transcript as its parent: that must not make the module look like the root.
        Files.writeString(module.resolve("pom.xml"), """
                <project><parent><artifactId>transcript</artifactId></parent><artifactId>test-support</artifactId></project>""");

        assertThat(EmbeddedServer.repositoryRoot(module)).isEqualTo(checkout);
    }

    @Test
    void falls_back_to_the_start_directory_outside_any_repository() {
        assertThat(EmbeddedServer.repositoryRoot(checkout)).isEqualTo(checkout);
    }
}
