package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a browser does on the sign-in page, by hand: keeps the cookies, posts the form with its CSRF field. */
final class SignInOverHttp {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final ApiClient api;
    String csrfCookie;
    String session;

    SignInOverHttp(ApiClient api) {
        this.api = api;
    }

    /** GET /signin, then POST it with {@code token}; returns the POST's answer. */
    HttpResponse<String> signIn(String token) {
        String csrf = formCsrf(api.get("/signin"));
        HttpResponse<String> answer = postForm("/signin", "csrf=" + csrf + "&next=%2Fdatasets&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tally_session="))
                .findFirst().ifPresent(c -> session = c.substring("tally_session=".length(), c.indexOf(';')));
        return answer;
    }

    HttpResponse<String> signOut() {
        return postForm("/signout", "csrf=" + csrfCookie);
    }

    String cookies() {
        return "tally_csrf=" + csrfCookie + (session == null ? "" : "; tally_session=" + session);
    }

    private String formCsrf(HttpResponse<String> page) {
        assertThat(page.statusCode()).isEqualTo(200);
        page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("tally_csrf="))
                .findFirst().ifPresent(c -> csrfCookie = c.substring("tally_csrf=".length(), c.indexOf(';')));
        Matcher field = CSRF_FIELD.matcher(page.body());
        assertThat(field.find()).as("a csrf field on the page").isTrue();
        return field.group(1);
    }

    private HttpResponse<String> postForm(String path, String body) {
        return api.send(api.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookies()).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A request carrying the browser's cookies. */
    HttpRequest.Builder request(String path) {
        return api.request(path).header("Cookie", cookies());
    }
}
