package io.jqsse.store.mongo;

import io.jqsse.store.DocumentStore;
import io.jqsse.store.DocumentStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract against the in-process MongoDB (or {@code -Dmongo.uri}), with a second store on the same document. */
class MongoStoreContractTest extends DocumentStoreContract {

    private static MongoFixture mongo;

    @BeforeAll
    static void startMongo() {
        mongo = MongoFixture.start();
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    @Override
    protected DocumentStore newStore() {
        return new MongoStore(mongo.config().build());
    }

    @Override
    protected DocumentStore secondStoreOnSameDocument() {
        return new MongoStore(mongo.sameDocument().build());
    }
}
