package org.dmarcq.identity;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
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
            throw new IOException(name + ": " + where(e) + "unknown key \"" + e.getPropertyName() + "\"; the keys of a "
                    + item + " are " + keys, e);
        } catch (JacksonException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException invalid) {
                throw new IOException(name + ": " + where((JsonMappingException) e) + invalid.getMessage(), e);
            }
            throw new IOException(name + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
    }

    /** "services[2]: " from the path of a mapping error: the list and the item's number from 1. */
    private static String where(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex() + 1).append(']');
            } else if (r.getFieldName() != null && sb.length() == 0) {
                sb.append(r.getFieldName());
            }
        }
        return sb.length() == 0 ? "" : sb + ": ";
    }
}
