/**
 * The embedded document store ({@code STORE_TYPE=memory}): the document lives in the server's heap as
 * an immutable Jackson tree; a write path-copies the nodes on its path under a short lock and
 * publishes the new root through a volatile field, so readers see consistent snapshots while writes
 * proceed and a write costs O(depth of its path), not O(document).
 */
package io.jqsse.store.memory;
