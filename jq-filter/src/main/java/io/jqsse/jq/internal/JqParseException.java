package io.jqsse.jq.internal;

import io.jqsse.jq.FilterSyntaxException;

/** A text that jackson-jq's parser rejects (as opposed to a refused or unknown function). */
public final class JqParseException extends FilterSyntaxException {

    private static final long serialVersionUID = 1L;

    JqParseException(String message, int position) {
        super(message, position);
    }
}
