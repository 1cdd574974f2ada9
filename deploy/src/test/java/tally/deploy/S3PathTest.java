package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class S3PathTest {
    @Test
    void s3_locations_split_into_bucket_and_key() {
        assertThat(S3Path.parse("s3://b/in/x.jsonl")).isEqualTo(new S3Path("b", "in/x.jsonl"));
        assertThat(S3Path.parse("s3://b/in/x.jsonl").prefix()).isEqualTo("in/x.jsonl/");
        assertThat(S3Path.parse("s3://b").prefix()).isEmpty();
        assertThat(S3Path.parse("s3://b/out/").prefix()).isEqualTo("out/");
        assertThatThrownBy(() -> S3Path.parse("hdfs:///tally/out")).hasMessageContaining("not an s3://BUCKET/KEY location");
    }
}
