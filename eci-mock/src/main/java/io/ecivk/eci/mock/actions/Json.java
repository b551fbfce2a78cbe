package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Small helpers for answers shaped like the real service's. */
final class Json {

    /** RFC 3339 in UTC with second precision, the format ECI uses everywhere ({@code 2018-08-02T15:00:00Z}). */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Json() {
    }

    /** The timestamp, or "" when the moment has not happened (the service sends empty strings, not nulls). */
    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /**
     * A Float field. Rendered as a double so that JSON always shows a decimal point ({@code 2.0}, never {@code 2}),
     * which the SDK's Float fields expect without a cast warning.
     */
    static double floating(BigDecimal value) {
        return value.doubleValue();
    }

    static JsonArray strings(List<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }

    static JsonObject keyValue(String key, String value) {
        JsonObject object = new JsonObject();
        object.addProperty("Key", key);
        object.addProperty("Value", value);
        return object;
    }

    static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
