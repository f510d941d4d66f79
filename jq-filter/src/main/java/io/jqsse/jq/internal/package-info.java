/**
 * Internals of {@code io.jqsse.jq}, not for embedding: the path-filter parser and evaluator, the text
 * scanner (top-level comma splitting, go-sse form rewriting), and the guarded jackson-jq runtime
 * (refused functions, bounded builtins, per-evaluation budgets).
 */
package io.jqsse.jq.internal;
