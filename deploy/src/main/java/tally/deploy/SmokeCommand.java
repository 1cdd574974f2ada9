package tally.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/**
 * Checks the live release as a client sees it. Writes need a token: {@code --token} (or {@code TALLY_TOKEN})
 * if given, else a token made for this run ({@code smoke-...}) and revoked when it ends, which also checks
 * that the instances take up a new token without a release.
 */
final class SmokeCommand {
    /** Two valid records: both must be kept (lines = kept + no_tags + skipped, docs/stats-contract.md). */
    static final String DATASET = """
            {"id":"smoke-1","updated":"Sun, 06 Sep 2009 11:36:20 +0000","tags":[{"term":"trips"},{"term":"howto"}]}
            {"id":"smoke-2","updated":"Mon, 07 Sep 2009 08:01:02 +0000","tags":[{"term":"java"}]}
            """;

    static final Option TOKEN = Option.value("--token", "TOKEN", "A write token of the environment; without it smoke"
            + " makes one for the run and revokes it at the end").withEnv("TALLY_TOKEN");
    static final Option TOKEN_WAIT = Option.value("--token-wait", "DURATION",
            "How long a token made for the run may take to be accepted").withDefault("30s");

    static final DeployCommand COMMAND = DeployCommand.of("smoke", "--env ENV [--token TOKEN] [OPTIONS]",
            "Check the live release through the stable address: health, version, writes closed to anonymous clients,"
                    + " and one tiny dataset uploaded and deleted with a token.",
            ReleaseOptions.after(DeployCli.ENV, TOKEN, TOKEN_WAIT), (cli, args) -> new SmokeCommand(cli, args).run());

    private final DeployCli cli;
    private final String env;
    private final String token;
    private final Duration tokenWait;
    private final ReleaseOptions options;

    private SmokeCommand(DeployCli cli, CommandArgs args) throws UsageException {
        this.cli = cli;
        env = args.required(DeployCli.ENV);
        token = args.string(TOKEN);
        tokenWait = args.duration(TOKEN_WAIT);
        options = new ReleaseOptions(args);
    }

    /**
     * A token made for a run expires after this, so one left by a run that died is refused anyway; the next
     * run also removes it from the list.
     */
    private static final Duration STALE_SMOKE_TOKEN = Duration.ofHours(1);

    /** One check and what it found. */
    record Check(String name, boolean passed, String detail) {
    }

    /** All checks. */
    record Result(String env, String version, String address, boolean passed, List<Check> checks) {
    }

    private int run() throws InterruptedException {
        try (AwsClients aws = cli.clients()) {
            Fleet fleet = new Fleet(aws.ec2(), env, options.pollInterval);
            Fleet.Live live = fleet.live().orElseThrow(() -> new DeployException("environment " + env + " has no live release"));
            EnvHttp envHttp = cli.http(aws, env);
            URI base = cli.host(aws, options.port, envHttp).addressEndpoint(live.address().publicIp(),
                    live.address().instanceId());
            HttpClient http = envHttp.client(Duration.ofSeconds(5));
            List<Check> checks = new ArrayList<>();
            checks.add(status(http, base, "/healthz"));
            checks.add(status(http, base, "/readyz"));
            checks.add(version(http, base, live.version()));
            checks.add(anonymousWrite(http, base));
            EnvTokens tokens = new EnvTokens(aws.s3(), cli.bucket(), env);
            String runToken = token;
            String minted = null;
            if (runToken == null || runToken.isBlank()) {
                revokeStaleSmokeTokens(tokens);
                minted = "smoke-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                        .withZone(java.time.ZoneOffset.UTC).format(Instant.now())
                        + "-" + ProcessHandle.current().pid();
                runToken = tokens.create(minted, DeployCli.actor(), Instant.now(), STALE_SMOKE_TOKEN).token();
            }
            try {
                if (minted != null) {
                    checks.add(tokenTakenUp(http, base, runToken, minted));
                }
                checks.addAll(dataset(http, base, runToken));
            } finally {
                if (minted != null) {
                    tokens.revoke(minted);
                }
            }
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

    private void revokeStaleSmokeTokens(EnvTokens tokens) {
        Instant staleBefore = Instant.now().minus(STALE_SMOKE_TOKEN);
        for (EnvTokens.Entry e : tokens.list()) {
            if (e.name().startsWith("smoke-") && e.created() != null && Instant.parse(e.created()).isBefore(staleBefore)) {
                tokens.revoke(e.name());
            }
        }
    }

    /** With tokens on, an upload without one is refused before its body is read. */
    private Check anonymousWrite(HttpClient http, URI base) throws InterruptedException {
        String name = "POST /api/datasets without a token";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/datasets?name=smoke-anonymous"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(DATASET)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Check(name, r.statusCode() == 401, "HTTP " + r.statusCode()
                    + (r.statusCode() == 401 ? " (writes need a token)" : ", expected 401: anyone can write here"));
        } catch (IOException e) {
            return new Check(name, false, e.toString());
        }
    }

    /** Waits until the instance accepts the token made for this run ({@link TokenProbe}). */
    private Check tokenTakenUp(HttpClient http, URI base, String runToken, String tokenName) throws InterruptedException {
        TokenProbe.Answer answer = TokenProbe.await(http, base, runToken, tokenWait);
        return new Check("new token " + tokenName + " accepted", answer.accepted(), answer.accepted()
                ? "after " + answer.waitedMillis() + " ms"
                : "still " + answer.last() + " after " + answer.waitedMillis() + " ms (--token-wait " + tokenWait
                        + "): do the instances read " + EnvTokens.location(cli.bucket(), env) + "?");
    }

    /** Uploads the tiny dataset with the token, checks its counters, and deletes it again. */
    private List<Check> dataset(HttpClient http, URI base, String runToken) throws InterruptedException {
        String name = "POST /api/datasets";
        List<Check> checks = new ArrayList<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/datasets?name=smoke"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-ndjson")
                            .header("Authorization", "Bearer " + runToken)
                            .POST(HttpRequest.BodyPublishers.ofString(DATASET)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                checks.add(new Check(name, false, "HTTP " + r.statusCode() + " " + r.body()));
                return checks;
            }
            JsonNode created = cli.mapper.readTree(r.body());
            JsonNode counters = created.path("counters");
            boolean ok = counters.path("lines").asLong(-1) == 2 && counters.path("kept").asLong(-1) == 2
                    && counters.path("skipped").asLong(-1) == 0;
            checks.add(new Check(name, ok, "HTTP 201, counters " + counters));
            String id = created.path("id").asText();
            HttpResponse<Void> deleted = http.send(HttpRequest.newBuilder(base.resolve("/api/datasets/"
                            + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)))
                            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + runToken).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            checks.add(new Check("DELETE /api/datasets/" + id, deleted.statusCode() == 204, "HTTP " + deleted.statusCode()));
        } catch (IOException e) {
            checks.add(new Check(name, false, e.toString()));
        }
        return checks;
    }
}
