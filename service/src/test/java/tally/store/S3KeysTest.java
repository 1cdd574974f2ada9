package tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class S3KeysTest {
    private final S3Keys keys = new S3Keys("data/prod/");

    @Test
    void index_keys_sort_newest_first_as_plain_strings() {
        Instant t = Instant.parse("2026-12-06T10:00:00.123Z");
        List<String> sorted = new ArrayList<>(List.of(keys.index(t, "a"), keys.index(t.plusMillis(1), "b"),
                keys.index(t.plusSeconds(86_400 * 365L), "c"), keys.index(t.minusSeconds(1), "d")));
        Collections.sort(sorted);

        assertThat(sorted).extracting(k -> keys.parseIndex(k).id()).containsExactly("c", "b", "a", "d");
        assertThat(keys.index(t, "a")).isEqualTo("data/prod/index/8203448799876-a");
    }

    @Test
    void an_index_key_gives_back_its_id_and_creation_millisecond() {
        Instant t = Instant.parse("2026-12-06T10:00:00.123456Z");
        S3Keys.IndexEntry entry = keys.parseIndex(keys.index(t, "my_data-1"));

        assertThat(entry.id()).isEqualTo("my_data-1");
        assertThat(entry.created()).isEqualTo(Instant.parse("2026-12-06T10:00:00.123Z"));
        assertThat(keys.parseIndex("data/prod/index/123-a")).isNull();
        assertThat(keys.parseIndex("data/other/index/8203448799876-a")).isNull();
        assertThat(keys.parseIndex("data/prod/index/8203431599876-bad.id")).isNull();
    }

    @Test
    void a_cursor_is_the_last_index_key_seen_and_nothing_else_is_accepted() {
        String key = keys.index(Instant.parse("2026-01-01T00:00:00Z"), "x1");
        String cursor = keys.cursorAfter(key);

        assertThat(cursor).doesNotContain("/", "index");
        assertThat(keys.startAfter(cursor)).isEqualTo(key);
        assertThatThrownBy(() -> keys.startAfter("not a cursor")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("next_cursor");
        assertThatThrownBy(() -> keys.startAfter("Li4vLi4vZXRj")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void data_meta_and_claim_keys_name_their_dataset() {
        assertThat(keys.data("ds1", "tok9", S3Keys.ROWS)).isEqualTo("data/prod/data/ds1/tok9/rows.tsv");
        assertThat(keys.parseData("data/prod/data/ds1/tok9/input.lz4")).isEqualTo(new S3Keys.DataRef("ds1", "tok9"));
        assertThat(keys.parseData("data/prod/data/ds1")).isNull();
        assertThat(keys.idOfMeta(keys.meta("ds1"))).isEqualTo("ds1");
        assertThat(keys.idOfMeta("data/prod/meta/ds1.txt")).isNull();
        assertThat(keys.idOfClaim(keys.claim("ds1"))).isEqualTo("ds1");
        assertThat(keys.idOfClaim("data/prod/claims/a/b")).isNull();
    }

    @Test
    void a_store_location_is_a_bucket_and_a_prefix_ending_with_a_slash() {
        assertThat(S3Location.parse("s3://my-bucket/data/staging")).isEqualTo(new S3Location("my-bucket",
                "data/staging/"));
        assertThat(S3Location.parse("s3://my-bucket")).isEqualTo(new S3Location("my-bucket", ""));
        assertThat(S3Location.parse("s3://my-bucket/data/").toString()).isEqualTo("s3://my-bucket/data/");
        assertThatThrownBy(() -> S3Location.parse("/var/tally")).hasMessageContaining("s3://BUCKET/PREFIX");
        assertThatThrownBy(() -> S3Location.parse("s3://My_Bucket/x")).hasMessageContaining("bucket");
        assertThatThrownBy(() -> S3Location.parse("s3://bucket//x")).hasMessageContaining("prefix");
    }

    @Test
    void parts_are_5_mib_then_grow_so_10000_parts_hold_far_more_than_the_upload_cap() {
        assertThat(S3PartStream.partBytes(1)).isEqualTo(5 << 20);
        assertThat(S3PartStream.partBytes(1000)).isEqualTo(5 << 20);
        assertThat(S3PartStream.partBytes(1001)).isEqualTo(10 << 20);
        long total = 0;
        for (int n = 1; n <= 10_000; n++) {
            total += S3PartStream.partBytes(n);
        }
        assertThat(total).isGreaterThan(100L << 30);
    }

    @Test
    void a_sweep_grace_must_outlast_four_heartbeats() {
        S3Location where = S3Location.parse("s3://bucket/x");
        assertThatThrownBy(() -> new S3StoreSettings(where, null, java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(40))).hasMessageContaining("four heartbeats");
        assertThat(S3StoreSettings.of(where, null).sweepEvery()).isEqualTo(java.time.Duration.ofMinutes(15).dividedBy(2));
    }
}
