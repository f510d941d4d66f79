/**
 * jq filters for jq-sse: compiling client filters once ({@link io.jqsse.jq.FilterCompiler}), telling
 * path filters (whose results are document locations) from computed ones, evaluating both into
 * {@link io.jqsse.jq.View}s within {@link io.jqsse.jq.FilterLimits}, parsing concrete write paths, and
 * indexing filters by the document locations they read ({@link io.jqsse.jq.Footprint},
 * {@link io.jqsse.jq.FootprintIndex}) so a write reaches only the filters it can affect.
 *
 * <p>Path filters use jq syntax plus the go-sse forms {@code [*]} and {@code [key=value]}; computed
 * filters are full jq expressions run by jackson-jq with unbounded constructs refused at compile time
 * and the rest bounded in steps, time and output size.
 */
package io.jqsse.jq;
