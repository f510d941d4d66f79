package io.jqsse.store.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Converts between Jackson trees and BSON values, keeping numbers faithful: ints stay int32, longs
 * int64, doubles double, decimals and big integers Decimal128 (34 significant digits; beyond that a
 * double). Object keys are copied verbatim, so keys with {@code .} or a leading {@code $} round-trip
 * (MongoDB 5+ stores them; only dotted update paths cannot name them). BSON types without a JSON
 * counterpart that other writers may store (dates, object ids, ...) read as their canonical text.
 */
final class BsonJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BsonJson() {
    }

    static BsonValue toBson(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT: {
                BsonDocument doc = new BsonDocument();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    doc.put(e.getKey(), toBson(e.getValue()));
                }
                return doc;
            }
            case ARRAY: {
                BsonArray array = new BsonArray(node.size());
                for (JsonNode child : node) {
                    array.add(toBson(child));
                }
                return array;
            }
            case STRING:
                return new BsonString(node.textValue());
            case BOOLEAN:
                return BsonBoolean.valueOf(node.booleanValue());
            case NUMBER:
                return number(node);
            case BINARY:
                return new BsonString(Base64.getEncoder().encodeToString(binary(node)));
            default:
                return BsonNull.VALUE;
        }
    }

    private static BsonValue number(JsonNode node) {
        if (node.isInt() || node.isShort()) {
            return new BsonInt32(node.intValue());
        }
        if (node.isLong()) {
            return new BsonInt64(node.longValue());
        }
        if (node.isBigInteger() || node.isBigDecimal()) {
            BigDecimal value = node.decimalValue();
            try {
                return new BsonDecimal128(new Decimal128(value));
            } catch (NumberFormatException tooPrecise) {
                return new BsonDouble(value.doubleValue());
            }
        }
        return new BsonDouble(node.doubleValue());
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    static JsonNode toJson(BsonValue value) {
        switch (value.getBsonType()) {
            case DOCUMENT: {
                ObjectNode object = NODES.objectNode();
                for (Map.Entry<String, BsonValue> e : value.asDocument().entrySet()) {
                    object.set(e.getKey(), toJson(e.getValue()));
                }
                return object;
            }
            case ARRAY: {
                ArrayNode array = NODES.arrayNode(value.asArray().size());
                for (BsonValue child : value.asArray()) {
                    array.add(toJson(child));
                }
                return array;
            }
            case STRING:
                return NODES.textNode(value.asString().getValue());
            case BOOLEAN:
                return NODES.booleanNode(value.asBoolean().getValue());
            case INT32:
                return NODES.numberNode(value.asInt32().getValue());
            case INT64:
                return NODES.numberNode(value.asInt64().getValue());
            case DOUBLE:
                return NODES.numberNode(value.asDouble().getValue());
            case DECIMAL128:
                return decimal(value.asDecimal128().getValue());
            case NULL:
            case UNDEFINED:
                return NODES.nullNode();
            case BINARY:
                return NODES.textNode(Base64.getEncoder().encodeToString(value.asBinary().getData()));
            case OBJECT_ID:
                return NODES.textNode(value.asObjectId().getValue().toHexString());
            case DATE_TIME:
                return NODES.numberNode(value.asDateTime().getValue());
            case SYMBOL:
                return NODES.textNode(value.asSymbol().getSymbol());
            default:
                return NODES.textNode(value.toString());
        }
    }

    private static JsonNode decimal(Decimal128 d) {
        if (d.isNaN() || d.isInfinite()) {
            return NODES.textNode(d.toString());
        }
        BigDecimal value = d.bigDecimalValue();
        return value.scale() <= 0 ? NODES.numberNode(value.toBigIntegerExact()) : NODES.numberNode(value);
    }

    /** The exact BSON size of {@code node} as the value of a document field, in bytes (type tag and key excluded). */
    static long bsonSize(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT: {
                long size = 5;
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    size += 1 + utf8Length(e.getKey()) + 1 + bsonSize(e.getValue());
                }
                return size;
            }
            case ARRAY: {
                long size = 5;
                int i = 0;
                for (JsonNode child : node) {
                    size += 1 + Integer.toString(i++).length() + 1 + bsonSize(child);
                }
                return size;
            }
            case STRING:
                return 4 + utf8Length(node.textValue()) + 1;
            case BINARY:
                return 4 + (binary(node).length + 2) / 3 * 4 + 1;
            case BOOLEAN:
                return 1;
            case NUMBER:
                return node.isInt() || node.isShort() ? 4 : node.isBigInteger() || node.isBigDecimal() ? 16 : 8;
            default:
                return 0;
        }
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
