package io.jqsse.server.internal.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The one Jackson {@link ObjectMapper} of the HTTP layer, strict on input (duplicate keys and trailing
 * tokens are errors, as a document must mean one thing) and writing straight into {@link ByteBuf}s.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

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
        try (ByteBufInputStream in = new ByteBufInputStream(body.duplicate())) {
            JsonNode node = MAPPER.readTree(in);
            if (node == null || node.isMissingNode()) {
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
}
