package tally.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TokenFileTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    /** printf %s 0123456789abcdef0123456789abcdef | sha256sum */
    private static final String TOKEN_SHA256 = HexFormat.of().formatHex(TokenFile.digest(TOKEN));

    @Test
    void names_digests_bare_tokens_comments_and_blank_lines() {
        List<TokenFile.Entry> entries = TokenFile.parse(String.join("\n",
                "# the tokens of staging",
                "",
                "ci: " + TOKEN + "   # the pipeline",
                "alice@example.com: sha256:" + TOKEN_SHA256.toUpperCase(),
                "   ",
                "Zm9vYmFyYmF6cXV4cXV1eA==",
                ""), "tokens");

        assertThat(entries).extracting(TokenFile.Entry::name)
                .containsExactly("ci", "alice@example.com", "token " + HexFormat.of().formatHex(
                        TokenFile.digest("Zm9vYmFyYmF6cXV4cXV1eA=="), 0, 4));
        assertThat(entries.get(0).digest()).isEqualTo(entries.get(1).digest()).isEqualTo(TokenFile.digest(TOKEN));
    }

    @Test
    void the_digest_is_what_sha256sum_prints_for_the_token_without_a_newline() {
        assertThat(HexFormat.of().formatHex(TokenFile.digest("abcdefghijklmnopqrstuvwxyz")))
                .isEqualTo("71c480df93d6ae2f1efad1447c66c9525e316218cf51fc8d9ed832f2daf18b73");
    }

    @Test
    void a_bad_line_is_refused_naming_the_file_and_line_but_not_the_token() {
        assertThatThrownBy(() -> TokenFile.parse("ci: " + TOKEN + "\nshort-token\n", "/etc/tally/tokens"))
                .hasMessageStartingWith("/etc/tally/tokens line 2: a token is at least 16 characters")
                .hasMessageNotContaining("short-token");
        assertThatThrownBy(() -> TokenFile.parse("ci: sha256:abc", "t")).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> TokenFile.parse("two words here", "t")).hasMessageContaining("NAME: TOKEN");
        assertThatThrownBy(() -> TokenFile.parse("bad name!: " + TOKEN, "t")).hasMessageContaining("NAME: TOKEN");
        assertThatThrownBy(() -> TokenFile.parse("na*me: " + TOKEN, "t")).hasMessageContaining("a name is");
    }

    @Test
    void sha256_with_a_space_is_refused_because_it_would_turn_the_digest_into_a_token() {
        assertThatThrownBy(() -> TokenFile.parse("sha256: " + TOKEN_SHA256, "t"))
                .hasMessageContaining("sha256:HEX (no space");
    }

    @Test
    void a_broken_file_on_reload_leaves_the_tokens_read_before_in_force(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), "ci: " + TOKEN + "\n");
        Tokens tokens = Tokens.open(new FileTokenSource(file));

        Files.writeString(dir.resolve("tokens"), "ci: " + TOKEN + "\nhalf-writ");
        assertThat(tokens.reloadIfChanged()).isFalse();
        assertThat(tokens.check(TOKEN)).contains("ci");

        Files.writeString(dir.resolve("tokens"), "other: sha256:" + TOKEN_SHA256 + "\n# and no ci any more\n");
        assertThat(tokens.reloadIfChanged()).isTrue();
        assertThat(tokens.check(TOKEN)).contains("other");
        assertThat(tokens.reloadIfChanged()).as("unchanged since").isFalse();

        Files.delete(file);
        assertThat(tokens.reloadIfChanged()).isFalse();
        assertThat(tokens.check(TOKEN)).contains("other");
    }

    @Test
    void a_token_matches_only_its_own_entry_and_a_session_survives_only_while_its_token_is_listed() {
        Tokens tokens = Tokens.of(TokenFile.parse("ci: " + TOKEN, "t"));

        assertThat(tokens.check(TOKEN)).contains("ci");
        assertThat(tokens.check(TOKEN + "x")).isEmpty();
        assertThat(tokens.check(TOKEN.substring(1))).isEmpty();
        assertThat(tokens.nameOf(TokenFile.digest(TOKEN))).contains("ci");
    }

    @Test
    void a_token_with_an_expiry_is_accepted_until_that_instant_and_refused_from_it_on() {
        Instant expiry = Instant.parse("2027-03-01T00:00:00Z");
        List<TokenFile.Entry> entries = TokenFile.parse(String.join("\n",
                "ci: sha256:" + TOKEN_SHA256 + " expires=2027-03-01T00:00:00Z  # made for the pipeline",
                "Zm9vYmFyYmF6cXV4cXV1eA== expires=2027-03-01T00:00:00Z",
                "forever: " + "f".repeat(20)), "tokens");
        assertThat(entries).extracting(TokenFile.Entry::expires).containsExactly(expiry, expiry, null);

        Tokens before = Tokens.of(entries, Clock.fixed(expiry.minusSeconds(1), ZoneOffset.UTC));
        Tokens from = Tokens.of(entries, Clock.fixed(expiry, ZoneOffset.UTC));

        assertThat(before.check(TOKEN)).contains("ci");
        assertThat(from.check(TOKEN)).isEmpty();
        assertThat(from.check("Zm9vYmFyYmF6cXV4cXV1eA==")).isEmpty();
        assertThat(from.check("f".repeat(20))).contains("forever");
    }

    @Test
    void an_expiry_that_is_not_an_instant_names_the_line_and_the_form() {
        assertThatThrownBy(() -> TokenFile.parse("ci: " + TOKEN + "\nbob: " + TOKEN + " expires=next-week", "tokens"))
                .hasMessageContaining("tokens line 2").hasMessageContaining("2027-03-01T00:00:00Z")
                .hasMessageNotContaining(TOKEN);
    }
}
