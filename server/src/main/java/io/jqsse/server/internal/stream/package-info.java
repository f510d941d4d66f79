/**
 * The event-stream engine: filter groups, the dispatcher that turns store changes into encoded
 * events once per group, per-event-loop subscriber sets that write those shared bytes, the replay
 * buffer for resume, conflation for slow consumers and heartbeats.
 *
 * <p>Threads. One dispatcher thread owns the groups, the footprint index, the replay buffer and the
 * document state the groups were last evaluated at; it takes store changes, stream joins, leaves and
 * resync requests in one FIFO queue, so every decision it makes sees a single, ordered history. Each
 * Netty event loop owns the subscribers of its channels ({@link io.jqsse.server.internal.stream.LoopSubscribers}):
 * the dispatcher reaches it through the loop's inbox (batches of changes, starts and resyncs; never
 * a task per subscriber), which one drain task empties in the order things were posted, so a
 * subscriber's start (its initial views at rev r) always precedes the first batch after r.
 * Consecutive batches in the inbox are delivered as one run: one write per one-filter stream and one
 * flush per channel, however many changes the run holds.
 */
package io.jqsse.server.internal.stream;
