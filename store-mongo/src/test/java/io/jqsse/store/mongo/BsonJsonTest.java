package io.jqsse.store.mongo;

import static io.jqsse.store.mongo.ChangeEvents.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BsonJsonTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static Stream<Arguments> numbers() {
        return Stream.of(
                Arguments.of(NODES.numberNode(7), BsonType.INT32),
                Arguments.of(NODES.numberNode(1L << 40), BsonType.INT64),
                Arguments.of(NODES.numberNode(2.5), BsonType.DOUBLE),
                Arguments.of(NODES.numberNode(new BigDecimal("1.10")), BsonType.DECIMAL128),
                Arguments.of(NODES.numberNode(new BigInteger("123456789012345678901234567890")), BsonType.DECIMAL128));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("numbers")
    void numbersKeepTheirKindBothWays(JsonNode number, BsonType type) {
        assertEquals(type, BsonJson.toBson(number).getBsonType());
        JsonNode back = BsonJson.toJson(BsonJson.toBson(number));
        assertEquals(number, back);
        assertEquals(number.getClass(), back.getClass());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a.b\": 1, \"$x\": {\"$y\": [true, null, \"s\"]}, \"\": 0, \"0\": {\"1\": 2}}",
        "{\"deep\": [[[{\"k\": \"\\u00e9\\ud83d\\ude00\"}]]], \"empty\": {}, \"list\": []}"})
    void documentsRoundTripIncludingKeysThatDottedPathsCannotName(String text) {
        JsonNode doc = json(text);
        assertEquals(doc, BsonJson.toJson(BsonJson.toBson(doc)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "{\"a\": 1, \"b\": 2.5, \"c\": \"caf\\u00e9\", \"d\": [1, {\"e\": null}], \"f\": true}",
        "{\"long\": 1099511627776, \"list\": [0,1,2,3,4,5,6,7,8,9,10,11], \"s\": \"\\ud83d\\ude00\"}"})
    void bsonSizeIsTheEncodedSize(String text) {
        JsonNode doc = json(text);
        RawBsonDocument raw = new RawBsonDocument((BsonDocument) BsonJson.toBson(doc), new BsonDocumentCodec());
        assertEquals(raw.getByteBuffer().remaining(), BsonJson.bsonSize(doc));
    }
}
