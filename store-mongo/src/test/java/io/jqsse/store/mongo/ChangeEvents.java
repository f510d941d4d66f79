package io.jqsse.store.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.codecs.DecoderContext;

/** Builds driver change stream events from extended JSON, as a server would send them. */
final class ChangeEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ChangeEvents() {
    }

    /** A change stream event decoded by the driver's own codec from {@code json}. */
    static ChangeStreamDocument<BsonDocument> event(String json) {
        BsonDocument raw = BsonDocument.parse(json);
        return ChangeStreamDocument.createCodec(BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry())
                .decode(new BsonDocumentReader(raw), DecoderContext.builder().build());
    }

    /** An update event of the document "main" with the given update description. */
    static ChangeStreamDocument<BsonDocument> update(String updateDescription) {
        return event("{_id: {_data: 'token'}, operationType: 'update', ns: {db: 'gosse', coll: 'kv_store'},"
                + " documentKey: {_id: 'main'}, updateDescription: " + updateDescription + "}");
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
