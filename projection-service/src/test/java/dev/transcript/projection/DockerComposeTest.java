package dev.transcript.projection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keeps docker-compose.yml in step with the services without a Docker engine: the services and their
 * dependencies exist, the published ports are the ports the services listen on, every Spring variable given
 * to a service names a property of its application.yml, and the addresses point at the compose services.
 * Where the docker CLI has the compose plugin, {@code docker compose config -q} validates the file too.
 */
class DockerComposeTest {

    static final String POSTGRES = "postgres";
    static final String KAFKA = "kafka";
    static final List<String> APPS = List.of("command-service", "projection-service");

    static final Path REPO = repositoryRoot();
    static final Map<String, Object> COMPOSE = yaml(REPO.resolve("docker-compose.yml"));

    @Test
    void definesTheFourServices() {
        assertThat(services().keySet()).contains(POSTGRES, KAFKA, "command-service", "projection-service");
    }

    @Test
    void everyServiceHasAHealthcheck() {
        services().forEach((name, definition) -> {
            Map<String, Object> healthcheck = map(map(definition, name).get("healthcheck"), name + ".healthcheck");
            assertThat(healthcheck.get("disable")).as(name + ".healthcheck.disable").isNotEqualTo(true);
            assertThat(healthcheck.get("test")).as(name + ".healthcheck.test").isNotNull();
            assertThat(healthcheck.get("test").toString()).as(name + ".healthcheck.test").isNotBlank();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-service", "projection-service"})
    void publishesThePortOfApplicationYmlAndChecksHealthThere(String app) {
        String port = applicationYml(app).get("server.port");
        assertThat(port).as(app + " application.yml server.port").isNotBlank();
        List<PortMapping> ports = ports(app);
        assertThat(ports).as(app + " ports").isNotEmpty();
        assertThat(ports).as(app + " ports").allSatisfy(mapping -> {
            assertThat(mapping.published()).as("published port of " + app).isEqualTo(port);
            assertThat(mapping.target()).as("container port of " + app).isEqualTo(port);
        });
        String serverPort = environment(app).get("SERVER_PORT");
        if (serverPort != null) {
            assertThat(serverPort).as(app + " SERVER_PORT").isEqualTo(port);
        }
        assertThat(healthcheckCommand(app)).as(app + " healthcheck")
                .contains("127.0.0.1:" + port + "/actuator/health");
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-service", "projection-service"})
    void everySpringVariableNamesAPropertyOfApplicationYml(String app) {
        Set<String> variables = new LinkedHashSet<>();
        for (String property : applicationYml(app).keySet()) {
            variables.addAll(environmentNamesOf(property));
        }
        List<String> given = environment(app).keySet().stream()
                .filter(name -> name.startsWith("SPRING_") || name.startsWith("SERVER_"))
                .toList();
        assertThat(given).as(app + " Spring variables").isNotEmpty();
        assertThat(variables).as("variables that name a property of " + app + "/src/main/resources/application.yml")
                .containsAll(given);
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-service", "projection-service"})
    void dependsOnHealthyPostgresAndKafka(String app) {
        Map<String, Object> dependsOn = map(service(app).get("depends_on"),
                app + ".depends_on (the long form, with conditions)");
        for (String dependency : List.of(POSTGRES, KAFKA)) {
            Map<String, Object> condition = map(dependsOn.get(dependency), app + ".depends_on." + dependency);
            assertThat(condition.get("condition")).as(app + ".depends_on." + dependency + ".condition")
                    .isEqualTo("service_healthy");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-service", "projection-service"})
    void datasourceIsTheComposePostgres(String app) {
        Map<String, String> env = environment(app);
        String url = env.get("SPRING_DATASOURCE_URL");
        assertThat(url).as(app + " SPRING_DATASOURCE_URL").isNotNull();
        Matcher jdbc = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]+)(\\?.*)?").matcher(url);
        assertThat(jdbc.matches()).as(url + " is jdbc:postgresql://host[:port]/database").isTrue();
        Map<String, String> postgres = environment(POSTGRES);
        assertThat(jdbc.group(1)).as("host of " + url).isEqualTo(POSTGRES);
        assertThat(jdbc.group(2) == null ? "5432" : jdbc.group(2)).as("port of " + url).isEqualTo("5432");
        assertThat(jdbc.group(3)).as("database of " + url)
                .isEqualTo(postgres.getOrDefault("POSTGRES_DB", postgres.getOrDefault("POSTGRES_USER", "postgres")));
        assertThat(env.getOrDefault("SPRING_DATASOURCE_USERNAME", "postgres")).as(app + " SPRING_DATASOURCE_USERNAME")
                .isEqualTo(postgres.getOrDefault("POSTGRES_USER", "postgres"));
        if (!"trust".equals(postgres.get("POSTGRES_HOST_AUTH_METHOD"))) {
            assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).as(app + " SPRING_DATASOURCE_PASSWORD")
                    .isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-service", "projection-service"})
    void bootstrapServersAreTheComposeKafka(String app) {
        String servers = environment(app).get("SPRING_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(servers).as(app + " SPRING_KAFKA_BOOTSTRAP_SERVERS").isNotBlank();
        String advertised = environment(KAFKA).get("KAFKA_ADVERTISED_LISTENERS");
        assertThat(advertised).as("kafka KAFKA_ADVERTISED_LISTENERS").isNotNull();
        List<String> advertisedAddresses = new ArrayList<>();
        for (String listener : advertised.split(",")) {
            advertisedAddresses.add(listener.substring(listener.indexOf("://") + 3).strip());
        }
        for (String server : servers.split(",")) {
            assertThat(server.strip()).as(app + " bootstrap server").startsWith(KAFKA + ":");
            assertThat(advertisedAddresses).as("addresses the kafka service advertises").contains(server.strip());
        }
    }

    @Test
    void kafkaIsASingleKraftNodeThatCreatesNoTopics() {
        Map<String, String> kafka = environment(KAFKA);
        assertThat(image(KAFKA)).startsWith("apache/kafka:");
        assertThat(kafka.get("KAFKA_PROCESS_ROLES")).contains("broker").contains("controller");
        assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).startsWith(kafka.get("KAFKA_NODE_ID") + "@");
        assertThat(kafka.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
        assertThat(kafka).as("replication settings").allSatisfy((name, value) -> {
            if (name.endsWith("_REPLICATION_FACTOR") || name.endsWith("_MIN_ISR")) {
                assertThat(value).as(name).isEqualTo("1");
            }
        });
        assertThat(image(POSTGRES)).isEqualTo("postgres:16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-service", "projection-service"})
    void imageIsBuiltFromTheServiceJar(String app) throws IOException {
        Map<String, Object> build = map(service(app).get("build"), app + ".build");
        Path context = REPO.resolve(String.valueOf(build.getOrDefault("context", "."))).normalize();
        Path dockerfile = context.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile")));
        assertThat(dockerfile).as(app + " Dockerfile").isRegularFile();
        List<String> lines = Files.readAllLines(dockerfile).stream().map(String::strip).toList();
        String jar = REPO.relativize(REPO.resolve(app).resolve("target").resolve(app + ".jar")).toString();
        String contextPath = context.equals(REPO) ? jar : context.relativize(REPO.resolve(jar)).toString();
        assertThat(lines).as(dockerfile.toString())
                .contains("FROM eclipse-temurin:21-jre", "EXPOSE " + applicationYml(app).get("server.port"))
                .anyMatch(line -> line.matches("COPY\\s+(--\\S+\\s+)*" + Pattern.quote(contextPath) + "\\s+.*"))
                .anyMatch(line -> line.matches("USER\\s+\\S+") && !line.matches("USER\\s+(root|0)(:.*)?"));
        Path dockerignore = context.resolve(".dockerignore");
        if (Files.exists(dockerignore)) {
            List<String> ignored = Files.readAllLines(dockerignore).stream().map(String::strip).toList();
            if (ignored.contains("*")) {
                assertThat(ignored).as(dockerignore + " must let the jar through").contains("!" + contextPath);
            }
        }
    }

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        assumeTrue(dockerComposeAvailable(), "docker compose CLI not available");
        Process process = new ProcessBuilder("docker", "compose", "-f", "docker-compose.yml", "config", "-q")
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("docker compose config finished").isTrue();
        assertThat(process.exitValue()).as("docker compose config -q: " + output).isZero();
    }

    // ---------------------------------------------------------------------------------------------

    record PortMapping(String published, String target) {
    }

    static Map<String, Object> services() {
        return map(COMPOSE.get("services"), "services");
    }

    static Map<String, Object> service(String name) {
        Object service = services().get(name);
        assertThat(service).as("service " + name + " in docker-compose.yml").isNotNull();
        return map(service, name);
    }

    static String image(String name) {
        return interpolate(String.valueOf(service(name).get("image")));
    }

    /** The environment of a service, in either of compose's forms (map or KEY=value list), interpolated. */
    static Map<String, String> environment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> variables.put(String.valueOf(key),
                    value == null ? "" : interpolate(String.valueOf(value))));
        } else if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String text = String.valueOf(entry);
                int eq = text.indexOf('=');
                variables.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : interpolate(text.substring(eq + 1)));
            }
        }
        return variables;
    }

    /** Published and container ports, in compose's short ("[ip:]published:target[/proto]") or long form. */
    static List<PortMapping> ports(String name) {
        Object ports = service(name).get("ports");
        List<PortMapping> mappings = new ArrayList<>();
        if (!(ports instanceof List<?> entries)) {
            return mappings;
        }
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> longForm) {
                mappings.add(new PortMapping(interpolate(String.valueOf(longForm.get("published"))),
                        interpolate(String.valueOf(longForm.get("target")))));
            } else {
                String text = interpolate(String.valueOf(entry)).replaceFirst("/(tcp|udp)$", "");
                String[] parts = text.split(":");
                String target = parts[parts.length - 1];
                String published = parts.length >= 2 ? parts[parts.length - 2] : "";
                mappings.add(new PortMapping(published, target));
            }
        }
        return mappings;
    }

    static String healthcheckCommand(String name) {
        Object test = map(service(name).get("healthcheck"), name + ".healthcheck").get("test");
        return test instanceof List<?> words ? String.join(" ", words.stream().map(String::valueOf).toList())
                : String.valueOf(test);
    }

    /** Compose's variable syntax: ${NAME}, ${NAME:-default}, ${NAME-default}; $$ is a dollar sign. */
    static String interpolate(String value) {
        Matcher matcher = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group().equals("$$") ? "$"
                    : matcher.group(2) != null ? matcher.group(2) : "";
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(out).toString();
    }

    /** The leaf properties of a service's application.yml, flattened to dotted names, with their values. */
    static Map<String, String> applicationYml(String app) {
        Path file = REPO.resolve(app).resolve("src/main/resources/application.yml");
        assertThat(file).as(app + " application.yml").isRegularFile();
        Map<String, String> properties = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Object document : new Yaml().loadAll(in)) {
                flatten("", document, properties);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }

    static void flatten(String prefix, Object node, Map<String, String> into) {
        if (node instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key,
                    value, into));
        } else if (!prefix.isEmpty()) {
            into.put(prefix, node == null ? "" : String.valueOf(node));
        }
    }

    /**
     * The environment variables Spring Boot binds to a property (SystemEnvironmentPropertyMapper): upper
     * case, dots to underscores, dashes dropped — or, the legacy form, dashes to underscores too.
     */
    static Set<String> environmentNamesOf(String property) {
        String upper = property.toUpperCase(Locale.ROOT).replace('.', '_');
        return new LinkedHashSet<>(List.of(upper.replace("-", ""), upper.replace('-', '_')));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String what) {
        if (!(node instanceof Map<?, ?>)) {
            fail(what + " in docker-compose.yml is " + (node == null ? "missing" : "not a mapping: " + node));
        }
        return (Map<String, Object>) node;
    }

    static Map<String, Object> yaml(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return map(new Yaml().load(in), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** The repository root: the nearest directory, from the working directory up, that holds .git. */
    static Path repositoryRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no .git in " + start + " or above: cannot find docker-compose.yml");
    }

    static boolean dockerComposeAvailable() {
        try {
            Process process = new ProcessBuilder("docker", "compose", "version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
