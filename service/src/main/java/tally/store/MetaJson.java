package tally.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * The store's codec for a dataset's metadata ({@code meta.json}): snake_case field names, counters and
 * summary as the job's records name them. Its own, so the stored format does not change when the HTTP
 * API's JSON settings do; fields it does not know (written by a newer version) are ignored on read.
 */
public final class MetaJson {
    private final ObjectMapper mapper = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public byte[] write(DatasetMeta meta) throws IOException {
        return mapper.writeValueAsBytes(meta);
    }

    public DatasetMeta read(InputStream in) throws IOException {
        return mapper.readValue(in, DatasetMeta.class);
    }

    public DatasetMeta read(byte[] bytes) throws IOException {
        return mapper.readValue(bytes, DatasetMeta.class);
    }
}
