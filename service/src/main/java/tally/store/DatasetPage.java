package tally.store;

import java.util.List;

/**
 * One page of the dataset list, newest first.
 *
 * @param nextCursor pass it back as {@code cursor} for the next page; null on the last page
 */
public record DatasetPage(List<DatasetMeta> datasets, String nextCursor) {
}
