package tally.web;

import tally.store.DatasetMeta;



/** What a dataset is called on the pages: its name, or its id when it was given none. */
final class DatasetNames {

    private DatasetNames() {
    }

    static String shown(DatasetMeta meta) {
        return meta.name() == null || meta.name().isBlank() ? "Dataset " + meta.id() : meta.name();
    }
}
