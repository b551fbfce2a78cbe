package io.ecivk.eci.client.model;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * One file of a {@code ConfigFileVolume}, rendered as {@code ConfigFileToPath.N.{Path,Content,Mode}}. The API
 * takes the content base64-encoded; {@link #of} encodes it. {@link #toString} never shows the content: config
 * files carry Secrets.
 *
 * @param path the file's path relative to the mount point
 * @param content the file's content, base64-encoded (standard alphabet, padded), as sent on the wire
 * @param mode the file mode, e.g. {@code 0644} = 420; null for the volume's default
 */
public record ConfigFileToPath(String path, String content, Integer mode) {
  public ConfigFileToPath {
    Objects.requireNonNull(path, "path");
    content = content == null ? "" : content;
  }

  /** A file with the given raw content, which is base64-encoded for the API. */
  public static ConfigFileToPath of(String path, byte[] content, Integer mode) {
    return new ConfigFileToPath(path, Base64.getEncoder().encodeToString(content == null ? new byte[0] : content), mode);
  }

  /** A file with the given text, encoded as UTF-8 and then base64. */
  public static ConfigFileToPath ofText(String path, String text, Integer mode) {
    return of(path, text == null ? null : text.getBytes(StandardCharsets.UTF_8), mode);
  }

  /** The raw content, decoded from base64. */
  public byte[] decodedContent() {
    return Base64.getDecoder().decode(content);
  }

  Map<String, Object> toParams() {
    return new ParamMap().put("Path", path).put("Content", content).put("Mode", mode).build();
  }

  @Override
  public String toString() {
    return "ConfigFileToPath[path=" + path + ", content=<" + content.length() + " base64 chars>, mode=" + mode + "]";
  }
}
