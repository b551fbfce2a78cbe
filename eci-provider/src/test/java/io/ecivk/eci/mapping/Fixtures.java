package io.ecivk.eci.mapping;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads test fixtures from {@code src/test/resources/fixtures/}. */
public final class Fixtures {
  private Fixtures() {}

  /** A pod from {@code fixtures/pods/<name>.yaml}; a fresh object on every call. */
  public static Pod pod(String name) {
    try (InputStream in = open("pods/" + name + ".yaml")) {
      return Serialization.unmarshal(in, Pod.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture's text. */
  public static String text(String path) {
    try (InputStream in = open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture read as {@code type}, from YAML or JSON. */
  public static <T> T read(String path, Class<T> type) {
    try (InputStream in = open(path)) {
      return Serialization.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String path) {
    InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path);
    if (in == null) {
      throw new IllegalArgumentException("no fixture " + path);
    }
    return in;
  }
}
