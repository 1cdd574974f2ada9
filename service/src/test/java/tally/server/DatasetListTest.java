package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A class of its own, so that its server holds only the datasets this test makes. */
@Tag("async")
@ExtendWith(TallyServerExtension.class)
class DatasetListTest {

    @Test
    void the_list_is_newest_first_and_the_cursor_walks_it_page_by_page(URI base) {
        ApiClient api = new ApiClient(base);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(api.json(api.postLines("list" + i, Bookmarks.SPEC_LINE)).get("id").asText());
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.json(api.get("/api/datasets?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.get("datasets").forEach(d -> seen.add(d.get("id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(created.get(4), created.get(3), created.get(2), created.get(1), created.get(0));
        assertThat(api.json(api.get("/api/datasets")).get("datasets")).hasSize(5);
    }
}
