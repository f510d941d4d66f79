package io.jqsse.server.internal.http;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;

/**
 * The JVM's own figures in {@code /metrics}: what the collectors took and how full the heap is. A
 * large document is a large live tree, and a write's latency with one is mostly the collections
 * that copy it; these say so without a profiler.
 */
final class JvmMetrics {

    private JvmMetrics() {
    }

    /**
     * Adds {@code jvm_gc_collections_total}, {@code jvm_gc_time_milliseconds_total} (as the collectors
     * report it: pauses for Serial and Parallel, and for G1's young and full collections), and the
     * gauges {@code jvm_heap_used_bytes}, {@code jvm_heap_committed_bytes} and {@code jvm_heap_max_bytes}
     * (-1 when the heap has no limit).
     */
    static void addTo(Map<String, Long> metrics) {
        long collections = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        metrics.put("jvm_gc_collections_total", collections);
        metrics.put("jvm_gc_time_milliseconds_total", millis);
        metrics.put("jvm_heap_used_bytes", heap.getUsed());
        metrics.put("jvm_heap_committed_bytes", heap.getCommitted());
        metrics.put("jvm_heap_max_bytes", heap.getMax());
    }
}
