package io.jqsse.server.internal.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;

/** A filter group's events over a run of changes, in order, to be written as one buffer. Loop thread. */
final class GroupRun {

    final FilterGroup group;
    final ArrayList<ByteBuf> parts = new ArrayList<>(4);
    long lastRev;

    GroupRun(FilterGroup group) {
        this.group = group;
    }

    void add(ByteBuf events, long rev) {
        parts.add(events);
        lastRev = rev;
    }

    /** The parts as one buffer, which the caller releases: the only part retained, or a new buffer. */
    ByteBuf joined() {
        if (parts.size() == 1) {
            return parts.get(0).retain();
        }
        int size = 0;
        for (ByteBuf p : parts) {
            size += p.readableBytes();
        }
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        for (ByteBuf p : parts) {
            out.writeBytes(p, p.readerIndex(), p.readableBytes());
        }
        return out;
    }
}
