package org.dmarcq.identity;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.InputStream;

/** Reads the human-edited YAML files (service map, inventory) with errors a person can act on. */
final class YamlFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private YamlFiles() {}

    /**
     * @param name the file, for messages
     * @param item what one list item is ("service"), and {@code keys} the keys it may have, for the
     *     message about a key it may not
     */
    static <T> T read(InputStream in, Class<T> type, String name, String item, String keys) throws IOException {
        byte[] bytes = in.readAllBytes();
        try {
            try (JsonParser parser = YAML.createParser(bytes)) {
                if (parser.nextToken() == null) {
                    return null; // empty, or comments only: e.g. just created by a shell redirection
                }
            }
            return YAML.readValue(bytes, type);
        } catch (UnrecognizedPropertyException e) {
            // no line: Jackson's is the one after the key's value
            throw new IOException(name + ": " + where(e.getPath().subList(0, e.getPath().size() - 1))
                    + "unknown key \"" + e.getPropertyName() + "\"; the keys of a "
                    + item + " are " + keys, e);
        } catch (MismatchedInputException e) {
            throw new IOException(name + ": " + line(e) + where(e.getPath()) + "expected " + expected(e.getTargetType()) + ", found "
                    + found(e.getOriginalMessage()), e);
        } catch (JacksonException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException invalid && e instanceof JsonMappingException mapping) {
                throw new IOException(name + ": " + line(e) + where(mapping.getPath()) + invalid.getMessage(), e);
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                    throw new IOException(name + ": line " + (yaml.getProblemMark().getLine() + 1) + ": not valid YAML: "
                            + yaml.getProblem(), e);
                }
            }
            String problem = String.join("; ", e.getOriginalMessage().strip().lines().map(String::strip).toList());
            throw new IOException(name + ": " + line(e) + "not valid YAML: " + problem, e);
        }
    }

    private static String line(JacksonException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : "line " + e.getLocation().getLineNr() + ": ";
    }

    /** What a value of the type is written as, in YAML words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list, like [a, b]";
        }
        if (type == String.class) {
            return "a text";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "keys and values (key: value)";
    }

    /** What Jackson found, from its message ("from Array value"). */
    private static String found(String message) {
        String m = message == null ? "" : message;
        if (m.contains("from Array value")) {
            return "a list";
        }
        if (m.contains("from Object value")) {
            return "keys and values";
        }
        if (m.contains("from String value")) {
            return "a text";
        }
        if (m.contains("from Integer value") || m.contains("from Floating-point value")) {
            return "a number";
        }
        if (m.contains("from Boolean value")) {
            return "true or false";
        }
        return "something else";
    }

    /** "systems[2].cidr: " from the path of a mapping error: list items numbered from 1. */
    private static String where(java.util.List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex() + 1).append(']');
            } else if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            }
        }
        return sb.length() == 0 ? "" : sb + ": ";
    }
}
