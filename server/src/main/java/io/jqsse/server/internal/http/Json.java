package io.jqsse.server.internal.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON of the HTTP layer: request bodies are read strictly (duplicate keys and trailing tokens are
 * errors, as a document must mean one thing) into Jackson trees, and responses are written with the
 * one {@link ObjectMapper} straight into {@link ByteBuf}s.
 *
 * <p>Bodies are parsed by {@link TreeReader} rather than {@code ObjectMapper.readTree}: it builds the
 * same tree with the same errors, but detects duplicate keys in the map it is filling (Jackson's
 * parser-level detection allocates a set for every object of three keys or more), keeps arrays at
 * their exact size, starts objects with a small hash table, and shares one node between equal short
 * strings of a body. For a 16 MB document
 * that is about a quarter less allocation and a smaller tree to keep (docs/performance.md).
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Default features and {@code StreamReadConstraints} (nesting depth, number and string lengths). */
    private static final JsonFactory READER = new JsonFactory();

    private Json() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Parses a request body; does not release {@code body}.
     *
     * @throws ApiException 400 {@code invalid_json} with the line and column of the first error
     */
    static JsonNode parse(ByteBuf body) {
        if (!body.isReadable()) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_json",
                    "body: empty (expected: a JSON value)");
        }
        try (JsonParser parser = parser(body)) {
            JsonNode node = new TreeReader(parser, body).read();
            if (node == null) {
                throw new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_json",
                        "body: only whitespace (expected: a JSON value)");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_json",
                    "body: not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parser over the readable bytes of {@code body}, reading a heap buffer's array in place. */
    private static JsonParser parser(ByteBuf body) throws IOException {
        if (body.hasArray()) {
            return READER.createParser(body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes());
        }
        InputStream in = new ByteBufInputStream(body.duplicate());
        return READER.createParser(in);
    }

    /** Encodes {@code value} as compact UTF-8 JSON into a new buffer that the caller owns. */
    static ByteBuf write(ByteBufAllocator alloc, JsonNode value) {
        ByteBuf buf = alloc.buffer();
        boolean written = false;
        try (OutputStream out = new ByteBufOutputStream(buf)) {
            MAPPER.writeValue(out, value);
            written = true;
            return buf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!written) {
                buf.release();
            }
        }
    }

    /**
     * Builds the tree of one JSON value from a parser's tokens, iteratively (the parser bounds the
     * depth), with the nodes {@code ObjectMapper.readTree} makes: {@code IntNode}, {@code LongNode} or
     * {@code BigIntegerNode} by magnitude, {@code DoubleNode} for any fraction or exponent. Its errors
     * are the ones a mapper with {@code STRICT_DUPLICATE_DETECTION} and {@code FAIL_ON_TRAILING_TOKENS}
     * raises, at the same line and column. Not thread-safe; one per body.
     */
    static final class TreeReader {

        /** Strings up to this many characters share a node with an equal earlier one of the body. */
        private static final int SHARED_TEXT_MAX_CHARS = 32;
        private static final int SHARED_TEXT_SLOTS = 1024;
        /** Bodies with fewer strings than this (most writes) never allocate the shared-text table. */
        private static final int SHARED_TEXT_AFTER = 64;

        /** An object's first hash table: up to 6 keys without a resize, half the default's 16 slots. */
        private static final int SMALL_OBJECT_SLOTS = 8;

        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

        private final JsonParser parser;
        private final ByteBuf source;
        private ContainerNode<?>[] containers = new ContainerNode<?>[8];
        private Map<String, JsonNode>[] fields = newMaps(8);
        private List<JsonNode>[] elements = newLists(8);
        private String[] names = new String[8];
        private int depth = -1;
        private int strings;
        private TextNode[] texts;

        /** {@code source} holds the bytes {@code parser} reads (for the position of a duplicate key). */
        TreeReader(JsonParser parser, ByteBuf source) {
            this.parser = parser;
            this.source = source;
        }

        /** The value, or null when the input holds only whitespace. */
        JsonNode read() throws IOException {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode value = value(first);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw MismatchedInputException.from(parser, JsonNode.class, "Trailing token (of type " + trailing
                        + ") found after value (bound as `" + JsonNode.class.getName()
                        + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
            }
            return value;
        }

        private JsonNode value(JsonToken first) throws IOException {
            JsonToken token = first;
            while (true) {
                JsonNode done;
                switch (token) {
                    case START_OBJECT -> {
                        LinkedHashMap<String, JsonNode> map = new LinkedHashMap<>(SMALL_OBJECT_SLOTS);
                        open(new ObjectNode(NODES, map), map, null);
                        token = parser.nextToken();
                        continue;
                    }
                    case START_ARRAY -> {
                        ArrayList<JsonNode> list = new ArrayList<>();
                        open(new ArrayNode(NODES, list), null, list);
                        token = parser.nextToken();
                        continue;
                    }
                    case FIELD_NAME -> {
                        name(parser.currentName());
                        token = parser.nextToken();
                        continue;
                    }
                    case END_OBJECT, END_ARRAY -> done = close();
                    case VALUE_STRING -> done = text(parser.getText());
                    case VALUE_NUMBER_INT -> done = integer();
                    case VALUE_NUMBER_FLOAT -> done = NODES.numberNode(parser.getDoubleValue());
                    case VALUE_TRUE -> done = BooleanNode.TRUE;
                    case VALUE_FALSE -> done = BooleanNode.FALSE;
                    case VALUE_NULL -> done = NullNode.instance;
                    default -> throw new JsonParseException(parser, "Unexpected token (" + token + ")");
                }
                if (depth < 0) {
                    return done;
                }
                if (fields[depth] != null) {
                    fields[depth].put(names[depth], done);
                } else {
                    elements[depth].add(done);
                }
                token = parser.nextToken();
            }
        }

        private void open(ContainerNode<?> node, Map<String, JsonNode> map, List<JsonNode> list) {
            depth++;
            if (depth == containers.length) {
                int n = depth * 2;
                containers = Arrays.copyOf(containers, n);
                fields = Arrays.copyOf(fields, n);
                elements = Arrays.copyOf(elements, n);
                names = Arrays.copyOf(names, n);
            }
            containers[depth] = node;
            fields[depth] = map;
            elements[depth] = list;
        }

        private JsonNode close() {
            ContainerNode<?> node = containers[depth];
            if (elements[depth] instanceof ArrayList<JsonNode> list) {
                list.trimToSize();
            }
            containers[depth] = null;
            fields[depth] = null;
            elements[depth] = null;
            names[depth] = null;
            depth--;
            return node;
        }

        private void name(String name) throws IOException {
            Map<String, JsonNode> map = fields[depth];
            if (!map.isEmpty() && map.containsKey(name)) {
                throw new JsonParseException(parser, "Duplicate field '" + name + "'", afterName());
            }
            names[depth] = name;
        }

        /**
         * Where the parser's own duplicate detection reports a key: just after its closing quote
         * (columns count bytes, and a key never spans lines).
         */
        private JsonLocation afterName() {
            JsonLocation start = parser.currentTokenLocation();
            long offset = start.getByteOffset();
            int at = source.readerIndex() + (int) offset + 1;
            while (source.getByte(at) != '"') {
                at += source.getByte(at) == '\\' ? 2 : 1;
            }
            long length = at + 1 - (source.readerIndex() + offset);
            return new JsonLocation(start.contentReference(), offset + length, -1L, start.getLineNr(),
                    start.getColumnNr() + (int) length);
        }

        private JsonNode integer() throws IOException {
            return switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
        }

        private TextNode text(String value) {
            if (value.length() > SHARED_TEXT_MAX_CHARS || ++strings < SHARED_TEXT_AFTER) {
                return TextNode.valueOf(value);
            }
            if (texts == null) {
                texts = new TextNode[SHARED_TEXT_SLOTS];
            }
            int h = value.hashCode();
            int slot = (h ^ (h >>> 16)) & (SHARED_TEXT_SLOTS - 1);
            TextNode seen = texts[slot];
            if (seen != null && seen.textValue().equals(value)) {
                return seen;
            }
            TextNode node = TextNode.valueOf(value);
            texts[slot] = node;
            return node;
        }

        @SuppressWarnings("unchecked")
        private static Map<String, JsonNode>[] newMaps(int n) {
            return (Map<String, JsonNode>[]) new Map<?, ?>[n];
        }

        @SuppressWarnings("unchecked")
        private static List<JsonNode>[] newLists(int n) {
            return (List<JsonNode>[]) new List<?>[n];
        }
    }
}
