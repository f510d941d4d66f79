package io.jqsse.store.memory;

import io.jqsse.store.DocumentStore;
import io.jqsse.store.DocumentStoreContract;

/** The store contract, with a 1 MiB limit so that the size limit test stays cheap. */
class MemoryStoreContractTest extends DocumentStoreContract {

    @Override
    protected DocumentStore newStore() {
        return MemoryStore.builder().maxDocumentBytes(1 << 20).build();
    }
}
