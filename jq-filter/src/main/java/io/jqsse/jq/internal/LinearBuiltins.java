package io.jqsse.jq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.operators.PlusOperator;

/**
 * Java replacements for builtins that jackson-jq defines in jq with quadratic cost. {@code add} is
 * {@code reduce .[] as $x (null; . + $x)}, where every {@code +} copies the accumulated string,
 * array or object; here it accumulates into one builder, with the same results and the same errors.
 * {@code flatten} likewise builds one array, and {@code _nwise} (behind {@code splits}) cuts one. {@code ascii_downcase}/{@code ascii_upcase}
 * ({@code explode | map(...) | implode}: a node per character) map characters directly. {@code join} is jackson-jq's, after checking the length of its
 * result (an array repeating one long string would otherwise join into gigabytes).
 */
final class LinearBuiltins {

    private static final GuardedOperator PLUS = new GuardedOperator(new PlusOperator());

    private LinearBuiltins() {
    }

    /** {@code add/0}; {@code jqDefined} runs for inputs it cannot iterate, for jq's own error. */
    static Function add(Function jqDefined) {
        return (scope, args, in, path, output, version) -> {
            Budget.step(1);
            if (!in.isArray() && !in.isObject()) {
                jqDefined.apply(scope, args, in, path, output, version);
                return;
            }
            Sum sum = new Sum(scope.getObjectMapper());
            for (JsonNode item : in) {
                Budget.step(1);
                sum.add(item);
            }
            JsonNode result = sum.result();
            Budget.checkConstructed(result);
            output.emit(result, null);
        };
    }

    /**
     * {@code _flatten/1}, behind {@code flatten/0,1}: jq's is a {@code reduce} of {@code . + [$i]}.
     * {@code jqDefined} runs for inputs it cannot iterate and for depths that are not numbers.
     */
    static Function flatten(Function jqDefined) {
        return (scope, args, in, path, output, version) -> {
            Budget.step(1);
            List<JsonNode> depths = new ArrayList<>();
            args.get(0).apply(scope, in, depths::add);
            if (!in.isArray() && !in.isObject() || !depths.stream().allMatch(JsonNode::isNumber)) {
                jqDefined.apply(scope, args, in, path, output, version);
                return;
            }
            for (JsonNode depth : depths) {
                ArrayNode flat = scope.getObjectMapper().createArrayNode();
                flattenInto(flat, in, depth.asDouble());
                Budget.checkConstructed(flat);
                output.emit(flat, null);
            }
        };
    }

    private static void flattenInto(ArrayNode flat, JsonNode node, double depth) {
        for (JsonNode element : node) {
            Budget.step(1);
            if (element.isArray() && depth != 0) {
                flattenInto(flat, element, depth - 1);
            } else {
                flat.add(element);
            }
        }
        Budget.checkValue(flat);
    }

    /**
     * {@code _nwise(a; $n)}, behind {@code splits}: jq's recurses on {@code a[$n:]}, copying the rest
     * of the array at every chunk. Here an array is cut into chunks in one pass; {@code jqDefined}
     * runs for anything else (strings, other inputs, a size that is not a positive integer).
     */
    static Function chunks(Function jqDefined) {
        return (scope, args, in, path, output, version) -> {
            Budget.step(1);
            List<JsonNode> arrays = new ArrayList<>();
            List<JsonNode> sizes = new ArrayList<>();
            args.get(0).apply(scope, in, arrays::add);
            args.get(1).apply(scope, in, sizes::add);
            boolean plain = arrays.stream().allMatch(JsonNode::isArray)
                    && sizes.stream().allMatch(n -> n.canConvertToExactIntegral() && n.asLong() > 0);
            if (!plain) {
                jqDefined.apply(scope, args, in, path, output, version);
                return;
            }
            for (JsonNode size : sizes) {
                for (JsonNode array : arrays) {
                    emitChunks(scope.getObjectMapper(), (ArrayNode) array, size.asLong(), output);
                }
            }
        };
    }

    private static void emitChunks(ObjectMapper mapper, ArrayNode array, long size, PathOutput output)
            throws JsonQueryException {
        if (array.size() <= size) {
            output.emit(array, null);
            return;
        }
        for (int from = 0; from < array.size(); from += (int) Math.min(size, array.size())) {
            Budget.step(1);
            ArrayNode chunk = mapper.createArrayNode();
            for (int i = from; i < Math.min(array.size(), from + size); i++) {
                chunk.add(array.get(i));
            }
            output.emit(chunk, null);
        }
    }

    /** {@code ascii_downcase/0} ({@code upper} false) or {@code ascii_upcase/0}. */
    static Function asciiCase(boolean upper, Function jqDefined) {
        return (scope, args, in, path, output, version) -> {
            Budget.step(1);
            if (!in.isTextual()) {
                jqDefined.apply(scope, args, in, path, output, version);
                return;
            }
            String text = in.textValue();
            BuiltinCosts.charge(text.length() / BuiltinCosts.CHARS_PER_STEP);
            char[] chars = text.toCharArray();
            for (int i = 0; i < chars.length; i++) {
                char c = chars[i];
                if (upper && c >= 'a' && c <= 'z') {
                    chars[i] = (char) (c - 32);
                } else if (!upper && c >= 'A' && c <= 'Z') {
                    chars[i] = (char) (c + 32);
                }
            }
            output.emit(TextNode.valueOf(new String(chars)), null);
        };
    }

    /** {@code join/1}: refuses a result longer than the size bound before building it. */
    static Function join(Function delegate) {
        return (scope, args, in, path, output, version) -> {
            Budget budget = Budget.current();
            if (budget != null && (in.isArray() || in.isObject())) {
                args.get(0).apply(scope, in, separator -> budget.checkBytes(joinedLength(in, separator)));
            }
            delegate.apply(scope, args, in, path, output, version);
        };
    }

    private static long joinedLength(JsonNode in, JsonNode separator) {
        long separatorLength = separator.isTextual() ? separator.textValue().length() : 0;
        long length = 0;
        boolean first = true;
        for (JsonNode item : in) {
            Budget.step(1);
            length += first ? 0 : separatorLength;
            first = false;
            if (item.isTextual()) {
                length += item.textValue().length();
            } else if (item.isNumber() || item.isBoolean()) {
                length += item.toString().length();
            }
        }
        return length;
    }

    /**
     * The running {@code null + x1 + x2 + ...}: a string, array or object being built in place
     * (never one of the inputs, which are shared), or else the last value jq's {@code +} returned.
     */
    private static final class Sum {
        private final ObjectMapper mapper;
        private JsonNode value = NullNode.getInstance();
        private StringBuilder text;
        private ArrayNode array;
        private ObjectNode object;

        Sum(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        void add(JsonNode item) throws JsonQueryException {
            Budget budget = Budget.current();
            if (item.isNull() && (text != null || array != null || object != null)) {
                return;
            }
            if (text != null && item.isTextual()) {
                if (budget != null) {
                    budget.checkBytes((long) text.length() + item.textValue().length());
                }
                BuiltinCosts.charge(item.textValue().length() / BuiltinCosts.CHARS_PER_STEP);
                text.append(item.textValue());
            } else if (array != null && item.isArray()) {
                if (budget != null) {
                    budget.checkElements((long) array.size() + item.size());
                }
                BuiltinCosts.charge(item.size());
                array.addAll((ArrayNode) item);
            } else if (object != null && item.isObject()) {
                BuiltinCosts.charge(item.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    object.set(e.getKey(), e.getValue());
                }
                if (budget != null) {
                    budget.checkElements(object.size());
                }
            } else {
                adopt(PLUS.apply(mapper, result(), item));
            }
        }

        /** Takes jq's result as the new running value, copying a string, array or object to build on. */
        private void adopt(JsonNode sum) {
            text = null;
            array = null;
            object = null;
            value = sum;
            if (sum.isTextual()) {
                text = new StringBuilder(sum.textValue());
            } else if (sum.isArray()) {
                BuiltinCosts.charge(sum.size());
                array = mapper.createArrayNode().addAll((ArrayNode) sum);
            } else if (sum.isObject()) {
                BuiltinCosts.charge(sum.size());
                object = mapper.createObjectNode();
                object.setAll((ObjectNode) sum);
            }
        }

        JsonNode result() {
            if (text != null) {
                return TextNode.valueOf(text.toString());
            }
            return array != null ? array : object != null ? object : value;
        }
    }
}
