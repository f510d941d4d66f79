package io.jqsse.store.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChangeFollowerTest {

    @ParameterizedTest(name = "code {0}: history lost {1}")
    @CsvSource({
        "286, true",
        "280, true",
        "6, false",
        "91, false",
        "43, false"})
    void onlyAResumeTokenTooOldForTheServerStartsAFreshStream(int code, boolean lost) {
        MongoCommandException e = new MongoCommandException(
                BsonDocument.parse("{ok: 0, code: " + code + ", errmsg: 'resume of change stream failed'}"),
                new ServerAddress());
        assertEquals(lost, ChangeFollower.isHistoryLost(e));
    }

    @Test
    void networkErrorsResumeFromTheToken() {
        assertFalse(ChangeFollower.isHistoryLost(
                new MongoSocketReadException("Prematurely reached end of stream", new ServerAddress())));
    }
}
