package io.ecivk.eci.client.model;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The JSON conventions of the ECI API in one place: PascalCase keys (record component {@code containerGroupId}
 * is {@code ContainerGroupId}), RFC 3339 UTC times, and id lists sent as a JSON array inside one parameter.
 */
public final class EciJson {
  private static final Gson GSON =
      new GsonBuilder()
          .setFieldNamingPolicy(FieldNamingPolicy.UPPER_CAMEL_CASE)
          .registerTypeAdapter(Instant.class, new InstantAdapter().nullSafe())
          .disableHtmlEscaping()
          .create();

  private EciJson() {}

  /**
   * Reads a response body, already parsed into maps and lists by the SDK, as the given record type.
   *
   * @throws JsonParseException if the body does not have the shape of the type
   */
  public static <T> T fromBody(Object body, Class<T> type) {
    return GSON.fromJson(GSON.toJsonTree(body), type);
  }

  /** Reads a JSON document as the given type. */
  public static <T> T fromJson(String json, Class<T> type) {
    return GSON.fromJson(json, type);
  }

  /** Writes ids the way list parameters such as {@code ContainerGroupIds} take them: {@code ["a","b"]}. */
  public static String jsonArray(List<String> values) {
    return GSON.toJson(values);
  }

  /** ECI times look like {@code 2018-08-02T15:00:00Z}; an empty string means "not yet". */
  private static final class InstantAdapter extends TypeAdapter<Instant> {
    @Override
    public void write(JsonWriter out, Instant value) throws IOException {
      out.value(value.toString());
    }

    @Override
    public Instant read(JsonReader in) throws IOException {
      if (in.peek() == JsonToken.NULL) {
        in.nextNull();
        return null;
      }
      String text = in.nextString();
      if (text.isEmpty()) {
        return null;
      }
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new JsonParseException("not an RFC 3339 time: " + text, e);
      }
    }
  }
}
