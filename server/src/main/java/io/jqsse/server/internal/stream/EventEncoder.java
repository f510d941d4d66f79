package io.jqsse.server.internal.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jqsse.codec.SseEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes the events of SPEC section 3 (JSON data, SSE framing). Stateless and thread-safe.
 *
 * <p>Every method appends complete event blocks to a caller-owned buffer. The JSON of an event is
 * generated once into a scratch buffer and framed by {@link SseEncoder}.
 */
final class EventEncoder {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final ByteBufAllocator alloc;

    EventEncoder(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    ByteBuf buffer() {
        return alloc.buffer();
    }

    /** {@code connected}: {"id","epoch","rev"}. */
    void connected(ByteBuf out, String clientId, String epoch, long rev, String eventId) {
        frame(out, "connected", eventId, g -> {
            g.writeStartObject();
            g.writeStringField("id", clientId);
            g.writeStringField("epoch", epoch);
            g.writeNumberField("rev", rev);
            g.writeEndObject();
        });
    }

    /**
     * {@code initial_data} or {@code init}: {"filter","path","kind","value","paths"?,"time","rev"}.
     * {@code kind} tells a client how to apply later deltas: {@code value} (a plain path: the view is
     * the value at {@code paths[0]}), {@code list} (the view lists the values at {@code paths}) or
     * {@code computed} (the view is replaced by each {@code update}).
     *
     * @param paths canonical paths, or null for a computed filter
     */
    void view(ByteBuf out, String event, String filter, String kind, JsonNode value, List<String> paths, long time,
              long rev, String eventId) {
        frame(out, event, eventId, g -> {
            g.writeStartObject();
            g.writeStringField("filter", filter);
            g.writeStringField("path", filter);
            g.writeStringField("kind", kind);
            g.writeFieldName("value");
            g.writeTree(value);
            if (paths != null) {
                g.writeArrayFieldStart("paths");
                for (String p : paths) {
                    g.writeString(p);
                }
                g.writeEndArray();
            }
            g.writeNumberField("time", time);
            g.writeNumberField("rev", rev);
            g.writeEndObject();
        });
    }

    /** One {@code update} or {@code delete}. */
    void delta(ByteBuf out, String filter, Delta d, long time, long rev, String eventId) {
        frame(out, d.delete() ? "delete" : "update", eventId, g -> {
            g.writeStartObject();
            g.writeStringField("filter", filter);
            g.writeStringField("path", d.path());
            if (!d.delete()) {
                g.writeFieldName("value");
                g.writeTree(d.value());
            }
            g.writeNumberField("time", time);
            g.writeNumberField("rev", rev);
            g.writeEndObject();
        });
    }

    /** {@code error}: {"filter","message","time","rev"}. */
    void error(ByteBuf out, String filter, String message, long time, long rev, String eventId) {
        frame(out, "error", eventId, g -> {
            g.writeStartObject();
            g.writeStringField("filter", filter);
            g.writeStringField("message", message);
            g.writeNumberField("time", time);
            g.writeNumberField("rev", rev);
            g.writeEndObject();
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private void frame(ByteBuf out, String event, String eventId, Body body) {
        ByteBuf json = alloc.buffer();
        try {
            try (JsonGenerator g = MAPPER.getFactory().createGenerator((java.io.OutputStream) new ByteBufOutputStream(json))) {
                body.write(g);
            }
            SseEncoder.writeEvent(out, event, eventId, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            json.release();
        }
    }
}
