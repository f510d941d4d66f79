package io.jqsse.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What one subscriber pool saw, as a value that crosses process boundaries as one JSON line.
 *
 * @param connected      connections that got {@code 200}
 * @param failed         connections refused, failed or answered with another status
 * @param closedEarly    connections the server closed before the pool did
 * @param open           connections open when the stats were taken
 * @param bytes          event-stream bytes received
 * @param blocks         SSE blocks (events and comments) received
 * @param inits          {@code init} events (resyncs after conflation or a replace)
 * @param stamps         stamped values received: deliveries of this run's writes
 * @param lastEventMicros wall-clock time of the last stamped delivery
 * @param connectAllMicros time from the pool's start until every connection answered
 * @param latency        write-to-delivery latency of each stamped delivery, microseconds
 * @param connectTime    connect-to-response-head time of each connection, microseconds
 */
record PoolStats(int connected, int failed, int closedEarly, int open, long bytes, long blocks, long inits,
                 long stamps, long lastEventMicros, long connectAllMicros, Histogram latency, Histogram connectTime) {

    static PoolStats empty() {
        return new PoolStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new Histogram(SubscriberPool.MAX_MICROS, 3),
                new Histogram(SubscriberPool.MAX_MICROS, 3));
    }

    /** Sums counts, merges histograms; times take the latest. */
    PoolStats plus(PoolStats o) {
        Histogram lat = latency.copy();
        lat.add(o.latency);
        Histogram conn = connectTime.copy();
        conn.add(o.connectTime);
        return new PoolStats(connected + o.connected, failed + o.failed, closedEarly + o.closedEarly, open + o.open,
                bytes + o.bytes, blocks + o.blocks, inits + o.inits, stamps + o.stamps,
                Math.max(lastEventMicros, o.lastEventMicros), Math.max(connectAllMicros, o.connectAllMicros), lat, conn);
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("connected", connected).put("failed", failed).put("closedEarly", closedEarly).put("open", open)
                .put("bytes", bytes).put("blocks", blocks).put("inits", inits).put("stamps", stamps)
                .put("lastEventMicros", lastEventMicros).put("connectAllMicros", connectAllMicros)
                .put("latency", encode(latency)).put("connectTime", encode(connectTime));
        return n;
    }

    static PoolStats fromJson(JsonNode n) {
        return new PoolStats(n.get("connected").asInt(), n.get("failed").asInt(), n.get("closedEarly").asInt(),
                n.get("open").asInt(), n.get("bytes").asLong(), n.get("blocks").asLong(), n.get("inits").asLong(),
                n.get("stamps").asLong(), n.get("lastEventMicros").asLong(), n.get("connectAllMicros").asLong(),
                decode(n.get("latency").asText()), decode(n.get("connectTime").asText()));
    }

    static String encode(Histogram h) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int len = h.encodeIntoCompressedByteBuffer(b);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), len));
    }

    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("histogram: " + base64.length() + " chars (expected: a compressed"
                    + " HdrHistogram in base64)", e);
        }
    }
}
