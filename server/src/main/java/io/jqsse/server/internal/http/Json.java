package io.jqsse.server.internal.http;

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
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.jqsse.store.Documents;
import io.jqsse.store.Measured;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * JSON of the HTTP layer: request bodies are read strictly (duplicate keys and trailing tokens are
 * errors, as a document must mean one thing) into Jackson trees, and responses are written with the
 * one {@link ObjectMapper} straight into {@link ByteBuf}s.
 *
 * <p>Bodies are parsed by {@link TreeReader} rather than {@code ObjectMapper.readTree}: it builds
 * equal trees with the same errors, but detects duplicate keys in the object it is filling (Jackson's
 * parser-level detection allocates a set for every object of three keys or more), keeps arrays at
 * their exact size, holds small objects in two arrays ({@link SmallObject}) instead of a
 * {@code LinkedHashMap}, and shares one node between equal short strings of a body. A parsed
 * document stays in the store and in the replay buffer, so its size is what the heap keeps and the
 * collector copies: for the 16 MB benchmark document, about half as much (docs/performance.md).
 */
final class Json {

    /** Default features and {@code StreamReadConstraints} (nesting depth, number and string lengths). */
    static final ObjectMapper MAPPER = new ObjectMapper();

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
        return parseMeasured(body).tree();
    }

    /**
     * {@link #parse} with the value's compact JSON size, summed by the store's rules while the tree is
     * built ({@link Documents#measuring()}), so that the store checks its size limit without a walk.
     *
     * @throws ApiException 400 {@code invalid_json} with the line and column of the first error
     */
    static Measured parseMeasured(ByteBuf body) {
        if (!body.isReadable()) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_json",
                    "body: empty (expected: a JSON value)");
        }
        try (JsonParser parser = parser(body)) {
            Measured node = new TreeReader(parser, body).read();
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
            return MAPPER.createParser(body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes());
        }
        InputStream in = new ByteBufInputStream(body.duplicate());
        return MAPPER.createParser(in);
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
     * raises, at the same line and column, but for one case: a duplicate key directly followed by a
     * malformed number or literal ({@code {"a":1,"a":tru}}) reports that token, which the parser reads
     * together with the key, instead of the duplicate (both are {@code invalid_json}). An object of
     * up to {@link SmallObject#MAX_KEYS} keys is a {@link SmallObject}, sharing its key array with
     * the previous object of the same keys at its depth; a larger one a {@code LinkedHashMap}. Feeds every node to a {@link Measured.Builder} as it
     * makes it, so the tree comes with its size. Not thread-safe; one per body.
     */
    static final class TreeReader {

        /** Strings up to this many characters share a node with an equal earlier one of the body. */
        private static final int SHARED_TEXT_MAX_CHARS = 32;
        private static final int SHARED_TEXT_SLOTS = 1024;
        /** Bodies with fewer short strings than this (most writes) never allocate the shared-text table. */
        private static final int SHARED_TEXT_AFTER = 64;

        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

        private final JsonParser parser;
        private final ByteBuf source;
        private final Measured.Builder size = Documents.measuring();
        /** Per depth: the object being read there (reused from one object to the next), or null for an array. */
        private ObjectFrame[] objects = new ObjectFrame[8];
        private ObjectFrame[] reusable = new ObjectFrame[8];
        private ArrayList<JsonNode>[] arrays = newLists(8);
        private int depth = -1;
        private int strings;
        private TextNode[] texts;

        /** {@code source} holds the bytes {@code parser} reads (for the position of a duplicate key). */
        TreeReader(JsonParser parser, ByteBuf source) {
            this.parser = parser;
            this.source = source;
        }

        /** The value and its size, or null when the input holds only whitespace. */
        Measured read() throws IOException {
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
            return size.finish(value);
        }

        private JsonNode value(JsonToken first) throws IOException {
            JsonToken token = first;
            while (true) {
                JsonNode done;
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        open(token == JsonToken.START_OBJECT);
                        token = parser.nextToken();
                        continue;
                    }
                    case FIELD_NAME -> {
                        String name = parser.currentName();
                        if (objects[depth].name(name)) {
                            throw new JsonParseException(parser, "Duplicate field '" + name + "'", afterName());
                        }
                        size.key(name);
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
                if (!done.isContainerNode()) {
                    size.scalar(done);
                }
                if (depth < 0) {
                    return done;
                }
                if (objects[depth] != null) {
                    objects[depth].add(done);
                } else {
                    arrays[depth].add(done);
                }
                token = parser.nextToken();
            }
        }

        private void open(boolean object) {
            size.open();
            depth++;
            if (depth == objects.length) {
                int n = depth * 2;
                objects = Arrays.copyOf(objects, n);
                reusable = Arrays.copyOf(reusable, n);
                arrays = Arrays.copyOf(arrays, n);
            }
            if (object) {
                if (reusable[depth] == null) {
                    reusable[depth] = new ObjectFrame();
                }
                objects[depth] = reusable[depth];
            } else {
                objects[depth] = null;
                arrays[depth] = new ArrayList<>();
            }
        }

        private JsonNode close() {
            ObjectFrame object = objects[depth];
            JsonNode node;
            if (object != null) {
                node = new ObjectNode(NODES, object.finish());
                objects[depth] = null;
            } else {
                ArrayList<JsonNode> list = arrays[depth];
                list.trimToSize();
                node = new ArrayNode(NODES, list);
                arrays[depth] = null;
            }
            depth--;
            size.close(node);
            return node;
        }

        /**
         * Where the parser's own duplicate detection reports a key: just after its closing quote
         * (columns count bytes, and a key never spans lines).
         */
        private JsonLocation afterName() throws IOException {
            JsonLocation start = parser.currentTokenLocation();
            long offset = start.getByteOffset();
            if (offset < 0) {
                // UTF-16/32 bodies: the parser counts characters, not bytes; an unescaped key is its quotes plus its name
                return new JsonLocation(start.contentReference(), -1L, start.getCharOffset(), start.getLineNr(),
                        start.getColumnNr() + parser.currentName().length() + 2);
            }
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
        private static ArrayList<JsonNode>[] newLists(int n) {
            return (ArrayList<JsonNode>[]) new ArrayList<?>[n];
        }
    }

    /**
     * The members of the object being read at one depth: in scratch arrays while it has at most
     * {@link SmallObject#MAX_KEYS} keys (a duplicate is found by comparing them), in a
     * {@code LinkedHashMap} from then on.
     */
    private static final class ObjectFrame {
        private final String[] keys = new String[SmallObject.MAX_KEYS];
        private final JsonNode[] values = new JsonNode[SmallObject.MAX_KEYS];
        private int size;
        private String name;
        private LinkedHashMap<String, JsonNode> large;
        /** The key array of the last small object finished at this depth, shared when the next has the same keys. */
        private String[] lastKeys = SmallObject.NO_KEYS;

        /** Starts the member {@code key}; true when the object already has it. */
        boolean name(String key) {
            if (large != null) {
                name = key;
                return large.containsKey(key);
            }
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    return true;
                }
            }
            name = key;
            if (size == SmallObject.MAX_KEYS) {
                large = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) {
                    large.put(keys[i], values[i]);
                }
            }
            return false;
        }

        void add(JsonNode value) {
            if (large != null) {
                large.put(name, value);
            } else {
                keys[size] = name;
                values[size++] = value;
            }
        }

        /** The finished object's members; the frame is empty again. */
        Map<String, JsonNode> finish() {
            Map<String, JsonNode> members;
            if (large != null) {
                members = large;
                large = null;
            } else {
                members = new SmallObject(sharedKeys(), Arrays.copyOf(values, size));
            }
            Arrays.fill(values, 0, Math.min(size, values.length), null);
            size = 0;
            name = null;
            return members;
        }

        private String[] sharedKeys() {
            if (lastKeys.length == size) {
                boolean same = true;
                for (int i = 0; i < size && same; i++) {
                    same = lastKeys[i].equals(keys[i]);
                }
                if (same) {
                    return lastKeys;
                }
            }
            lastKeys = Arrays.copyOf(keys, size);
            return lastKeys;
        }
    }

    /**
     * The members of a parsed object of at most {@link #MAX_KEYS} keys, in order: a key array (shared
     * by objects of the same keys, so never written: a new key or a removal replaces it) and a value
     * array, looked up by a linear scan. About 100 bytes for five members where a
     * {@code LinkedHashMap} takes about 300. A complete {@link Map}: an {@code ObjectNode} over it can
     * be changed like any other, though the store never changes a written value.
     */
    static final class SmallObject extends AbstractMap<String, JsonNode> {

        /** Up to this many keys a scan is as fast as hashing (names are short and mostly canonical). */
        static final int MAX_KEYS = 8;
        static final String[] NO_KEYS = new String[0];

        private String[] keys;
        private JsonNode[] values;

        SmallObject(String[] keys, JsonNode[] values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        public int size() {
            return keys.length;
        }

        private int indexOf(Object key) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public JsonNode get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : values[i];
        }

        @Override
        public JsonNode put(String key, JsonNode value) {
            int i = indexOf(key);
            if (i >= 0) {
                JsonNode old = values[i];
                values[i] = value;
                return old;
            }
            int n = keys.length;
            keys = Arrays.copyOf(keys, n + 1);
            keys[n] = key;
            values = Arrays.copyOf(values, n + 1);
            values[n] = value;
            return null;
        }

        @Override
        public JsonNode remove(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : removeAt(i);
        }

        private JsonNode removeAt(int i) {
            JsonNode old = values[i];
            keys = without(keys, i);
            values = without(values, i);
            return old;
        }

        private static <T> T[] without(T[] array, int i) {
            T[] out = Arrays.copyOf(array, array.length - 1);
            System.arraycopy(array, i + 1, out, i, array.length - 1 - i);
            return out;
        }

        @Override
        public void clear() {
            keys = NO_KEYS;
            values = new JsonNode[0];
        }

        @Override
        public Set<Map.Entry<String, JsonNode>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return keys.length;
                }

                @Override
                public Iterator<Map.Entry<String, JsonNode>> iterator() {
                    return new Iterator<>() {
                        private int next;
                        private boolean removable;

                        @Override
                        public boolean hasNext() {
                            return next < keys.length;
                        }

                        @Override
                        public Map.Entry<String, JsonNode> next() {
                            if (next >= keys.length) {
                                throw new NoSuchElementException();
                            }
                            removable = true;
                            return new Member(next++);
                        }

                        @Override
                        public void remove() {
                            if (!removable) {
                                throw new IllegalStateException("remove: before next (expected: after next)");
                            }
                            removable = false;
                            removeAt(--next);
                        }
                    };
                }
            };
        }

        /** A member as a map entry; {@link #setValue} writes through. */
        private final class Member extends AbstractMap.SimpleEntry<String, JsonNode> {
            private final int index;

            Member(int index) {
                super(keys[index], values[index]);
                this.index = index;
            }

            @Override
            public JsonNode setValue(JsonNode value) {
                values[index] = value;
                return super.setValue(value);
            }
        }
    }
}
