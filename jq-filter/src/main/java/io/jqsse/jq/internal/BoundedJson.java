package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * JSON serialization that stops as soon as the text would exceed a bound, so that a value sharing
 * structure with itself (a small tree that serializes exponentially large) cannot exhaust memory.
 * {@link #write} (behind {@code tojson}, {@code tostring}) also checks the thread's evaluation
 * deadline, if any, every {@value #CLOCK_EVERY_CHARS} characters; {@link #size} (the bound on a
 * finished view) does not.
 */
public final class BoundedJson {

    private static final long CLOCK_EVERY_CHARS = 64 * 1024;

    private BoundedJson() {
    }

    /**
     * The serialized size of {@code value} in UTF-8 bytes.
     *
     * @throws BudgetExceededException when it is larger than {@code maxBytes}
     */
    public static long size(ObjectMapper mapper, JsonNode value, long maxBytes) {
        CountingStream out = new CountingStream(maxBytes);
        try {
            mapper.writeValue(out, value);
        } catch (IOException e) {
            throw unwrap(e);
        }
        return out.count;
    }

    /**
     * {@code value} as JSON text.
     *
     * @throws BudgetExceededException when it is longer than {@code maxChars}
     */
    static String write(ObjectMapper mapper, JsonNode value, long maxChars) throws IOException {
        BoundedWriter out = new BoundedWriter(maxChars);
        try {
            mapper.writeValue(out, value);
        } catch (IOException e) {
            RuntimeException unwrapped = unwrap(e);
            if (unwrapped instanceof BudgetExceededException) {
                throw unwrapped;
            }
            throw e;
        }
        return out.sb.toString();
    }

    /** Jackson wraps what the stream throws: the budget's exception comes back out as itself. */
    private static RuntimeException unwrap(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BudgetExceededException) {
                return (BudgetExceededException) t;
            }
        }
        return new UncheckedIOException(e);
    }

    private static BudgetExceededException tooLarge(long limit) {
        return new BudgetExceededException("size: more than " + limit + " bytes (expected: at most maxOutputBytes "
                + limit + ")");
    }

    private static final class CountingStream extends OutputStream {
        private final long max;
        long count;

        CountingStream(long max) {
            this.max = max;
        }

        @Override
        public void write(int b) {
            add(1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            add(len);
        }

        private void add(long n) {
            count += n;
            if (count > max) {
                throw tooLarge(max);
            }
        }
    }

    private static final class BoundedWriter extends Writer {
        private final long max;
        final StringBuilder sb = new StringBuilder();

        BoundedWriter(long max) {
            this.max = max;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            long before = sb.length();
            if (before + len > max) {
                throw tooLarge(max);
            }
            sb.append(buf, off, len);
            if (before / CLOCK_EVERY_CHARS != sb.length() / CLOCK_EVERY_CHARS) {
                Budget.checkDeadline();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
