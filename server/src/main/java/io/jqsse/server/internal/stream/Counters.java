package io.jqsse.server.internal.stream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Monotonic counters of the engine, for {@code /metrics}. Thread-safe. */
final class Counters {
    final LongAdder streamsOpened = new LongAdder();
    final LongAdder streamsResumed = new LongAdder();
    final LongAdder resumeMisses = new LongAdder();
    final LongAdder changesDispatched = new LongAdder();
    final LongAdder groupEvaluations = new LongAdder();
    final LongAdder writesToStreams = new LongAdder();
    final LongAdder deltasDropped = new LongAdder();
    final LongAdder resyncs = new LongAdder();
    final LongAdder slowClientsClosed = new LongAdder();
    final LongAdder keepalives = new LongAdder();

    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("streams_opened_total", streamsOpened.sum());
        m.put("streams_resumed_total", streamsResumed.sum());
        m.put("resume_misses_total", resumeMisses.sum());
        m.put("changes_dispatched_total", changesDispatched.sum());
        m.put("group_evaluations_total", groupEvaluations.sum());
        m.put("stream_writes_total", writesToStreams.sum());
        m.put("deltas_dropped_total", deltasDropped.sum());
        m.put("resyncs_total", resyncs.sum());
        m.put("slow_clients_closed_total", slowClientsClosed.sum());
        m.put("keepalives_total", keepalives.sum());
        return m;
    }
}
