package tally.load;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tally.server.TallyServerExtension;

/** {@code --from}: a dataset's rows streamed from a real Tally server, started in-process on port 0. */
@Tag("db")
@ExtendWith(PostgresServer.class)
class FromServerTest {
    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void a_datasets_rows_load_from_the_server_as_the_server_serves_them(PostgresServer.Instance db) throws Exception {
        StringBuilder lines = new StringBuilder();
        int i = 0;
        for (String id : TsvRows.HOSTILE_TEXT) {
            lines.append("{\"id\":").append(json(id)).append(",\"updated\":").append(json("Sun, 06 Sep 2009 11:36:" + i++ + " +0000"))
                    .append(",\"tags\":[{\"term\":\"trips\"},{\"term\":\"\uD83D\uDE00\"}]}\n");
        }
        URI dataset = SERVER.baseUri().resolve("/api/datasets/hostile-ids");
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(dataset).header("Content-Type", "application/x-ndjson")
                .PUT(HttpRequest.BodyPublishers.ofString(lines.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        String served = http.send(HttpRequest.newBuilder(URI.create(dataset + "/rows.tsv")).build(),
                HttpResponse.BodyHandlers.ofString(UTF_8)).body();

        LoadRun run = LoadRun.run(Map.of("PGPASSWORD", PostgresServer.PASSWORD), "--from", dataset.toString(),
                "--table", "from_server", "--create", "--jdbc-url", db.jdbcUrl());

        assertThat(run.exit()).as(run.err()).isZero();
        try (Connection c = db.connect()) {
            assertThat(TableRows.read(c, "from_server")).hasSize(TsvRows.HOSTILE_TEXT.size())
                    .containsExactlyElementsOf(TsvRows.canonical(TsvRows.decode(served)));
        }
        LoadRun missing = LoadRun.run(Map.of("PGPASSWORD", PostgresServer.PASSWORD), "--from", dataset + "-gone",
                "--table", "from_server", "--append", "--jdbc-url", db.jdbcUrl());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("answered 404");
    }

    private static String json(String value) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
