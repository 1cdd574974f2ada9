package tally.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "smoke", description = "Check the live release through the stable address: health, version and one tiny dataset.")
final class SmokeCommand implements Callable<Integer> {
    /** Two valid records: both must be kept (lines = kept + no_tags + skipped, docs/stats-contract.md). */
    static final String DATASET = """
            {"id":"smoke-1","updated":"Sun, 06 Sep 2009 11:36:20 +0000","tags":[{"term":"trips"},{"term":"howto"}]}
            {"id":"smoke-2","updated":"Mon, 07 Sep 2009 08:01:02 +0000","tags":[{"term":"java"}]}
            """;

    @ParentCommand
    DeployCli cli;

    @Option(names = "--env", required = true)
    String env;

    @Mixin
    ReleaseOptions options;

    /** One check and what it found. */
    record Check(String name, boolean passed, String detail) {
    }

    /** All checks. */
    record Result(String env, String version, String address, boolean passed, List<Check> checks) {
    }

    @Override
    public Integer call() throws InterruptedException {
        try (AwsClients aws = cli.clients()) {
            Fleet fleet = new Fleet(aws.ec2(), env, options.pollInterval);
            Fleet.Live live = fleet.live().orElseThrow(() -> new DeployException("environment " + env + " has no live release"));
            URI base = cli.host(aws, options.port).addressEndpoint(live.address().publicIp(), live.address().instanceId());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            List<Check> checks = new ArrayList<>();
            checks.add(status(http, base, "/healthz"));
            checks.add(status(http, base, "/readyz"));
            checks.add(version(http, base, live.version()));
            checks.add(dataset(http, base));
            boolean passed = checks.stream().allMatch(Check::passed);
            Result result = new Result(env, live.version(), live.address().publicIp(), passed, checks);
            StringBuilder text = new StringBuilder("smoke " + env + " (" + live.version() + " at " + live.address().publicIp() + ", " + base + ")");
            checks.forEach(c -> text.append(System.lineSeparator()).append(c.passed() ? "  ok    " : "  FAIL  ")
                    .append(c.name()).append(": ").append(c.detail()));
            cli.emit(result, text.toString());
            return passed ? 0 : 1;
        }
    }

    private Check status(HttpClient http, URI base, String path) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Check("GET " + path, r.statusCode() == 200, "HTTP " + r.statusCode());
        } catch (IOException e) {
            return new Check("GET " + path, false, e.toString());
        }
    }

    private Check version(HttpClient http, URI base, String expected) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/version")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String actual = r.statusCode() == 200 ? cli.mapper.readTree(r.body()).path("version").asText(null) : null;
            return new Check("GET /version", expected.equals(actual), "HTTP " + r.statusCode() + ", version " + actual + ", live " + expected);
        } catch (IOException e) {
            return new Check("GET /version", false, e.toString());
        }
    }

    private Check dataset(HttpClient http, URI base) throws InterruptedException {
        String name = "POST /api/datasets";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/datasets?name=smoke"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(DATASET)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                return new Check(name, false, "HTTP " + r.statusCode() + " " + r.body());
            }
            JsonNode counters = cli.mapper.readTree(r.body()).path("counters");
            boolean ok = counters.path("lines").asLong(-1) == 2 && counters.path("kept").asLong(-1) == 2
                    && counters.path("skipped").asLong(-1) == 0;
            return new Check(name, ok, "HTTP 201, counters " + counters);
        } catch (IOException e) {
            return new Check(name, false, e.toString());
        }
    }
}
