package tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tally.server.TallyServerExtension;

/** The pages' defences, checked over real HTTP: CSP, CSRF before the body, cache headers of static files. */
@Tag("async")
class PageSecurityTest {

    @RegisterExtension
    static final TallyServerExtension server = new TallyServerExtension();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void every_page_forbids_inline_script_and_has_none() throws Exception {
        for (String path : List.of("/", "/datasets", "/datasets/no-such-id")) {
            HttpResponse<String> page = get(path);

            assertThat(page.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'")
                            .doesNotContain("unsafe-inline").contains("frame-ancestors 'none'"));
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            Matcher scripts = Pattern.compile("<script[^>]*>").matcher(page.body());
            while (scripts.find()) {
                assertThat(scripts.group()).as(path).contains(" src=");
            }
            assertThat(page.body()).as(path).doesNotContain(" style=").doesNotContain(" onclick=");
        }
        assertThat(get("/datasets/no-such-id").statusCode()).isEqualTo(404);
    }

    @Test
    void a_form_post_without_the_csrf_token_is_refused_before_the_file_is_read() throws Exception {
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nforged\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "{\"id\": \"a\", \"updated\": \"Tue, 01 Jan 2013 00:00:00 +0000\", \"tags\": [{\"term\": \"x\"}]}\n"
                + "\r\n--" + boundary + "--\r\n";

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/datasets"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("Cookie", CsrfToken.COOKIE + "=" + "A".repeat(32))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(refused.body()).contains("This form has expired");
        assertThat(get("/api/datasets").body()).doesNotContain("a.jsonl");
    }

    @Test
    void the_form_sets_a_strict_http_only_csrf_cookie_matching_its_hidden_field() throws Exception {
        HttpResponse<String> form = get("/");

        String cookie = form.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(CsrfToken.COOKIE + "=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict");
        String token = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        assertThat(form.body()).contains("name=\"csrf\" value=\"" + token + "\"");
        assertThat(form.body().indexOf("name=\"csrf\"")).as("the token field precedes the data fields")
                .isLessThan(form.body().indexOf("name=\"text\"")).isLessThan(form.body().indexOf("name=\"file\""));
    }

    @Test
    void fingerprinted_static_files_are_cached_for_a_year_and_others_revalidate() throws Exception {
        Matcher css = Pattern.compile("href=\"(/static/tally\\.css\\?v=[0-9a-f]+)\"").matcher(get("/").body());
        assertThat(css.find()).isTrue();

        HttpResponse<String> pinned = get(css.group(1));
        assertThat(pinned.statusCode()).isEqualTo(200);
        assertThat(pinned.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(pinned.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");

        HttpResponse<String> plain = get("/static/tally.css");
        assertThat(plain.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String etag = plain.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/static/tally.css"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(get("/static/../pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/static/nothing.js").statusCode()).isEqualTo(404);
    }

    @Test
    void a_delete_button_post_without_the_token_keeps_the_dataset() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/api/datasets/keep-me"))
                .header("Content-Type", "application/x-ndjson")
                .PUT(HttpRequest.BodyPublishers.ofString("{}\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/datasets/keep-me/delete"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=guess")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(get("/api/datasets/keep-me").statusCode()).isEqualTo(200);
    }
}
