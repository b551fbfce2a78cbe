package io.ecivk.pod.resolve;

import io.ecivk.spi.ResolvedPod.RegistryCredential;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registry credentials from the two image-pull secret types, read as the kubelet's credential provider reads
 * them: {@code kubernetes.io/dockerconfigjson} (key {@code .dockerconfigjson}, servers under {@code auths}) and
 * the legacy {@code kubernetes.io/dockercfg} (key {@code .dockercfg}, servers at the top level). Per server, a
 * non-empty {@code auth} (base64 of {@code user:password}, split at the first colon) wins over
 * {@code username}/{@code password}. Pure.
 */
public final class DockerConfig {
  public static final String TYPE_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
  public static final String KEY_CONFIG_JSON = ".dockerconfigjson";
  public static final String TYPE_DOCKERCFG = "kubernetes.io/dockercfg";
  public static final String KEY_DOCKERCFG = ".dockercfg";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private DockerConfig() {}

  /**
   * The credentials in a secret's data, chosen by key as the kubelet does (whatever the secret's type):
   * {@code .dockerconfigjson} if present, else {@code .dockercfg}; empty when it has neither.
   *
   * @throws IllegalArgumentException when the content is malformed
   */
  public static List<RegistryCredential> fromSecretData(Map<String, byte[]> data) {
    if (data.get(KEY_CONFIG_JSON) != null && data.get(KEY_CONFIG_JSON).length > 0) {
      return parse(TYPE_CONFIG_JSON, data);
    }
    if (data.get(KEY_DOCKERCFG) != null && data.get(KEY_DOCKERCFG).length > 0) {
      return parse(TYPE_DOCKERCFG, data);
    }
    return List.of();
  }

  /**
   * The credentials of one secret's data (values decoded, not base64), in the order the document lists servers.
   *
   * @throws IllegalArgumentException when the secret is not of a supported type, lacks its key, or its content
   *     is malformed; the message names the problem and never contains a credential
   */
  public static List<RegistryCredential> parse(String type, Map<String, byte[]> data) {
    boolean configJson = TYPE_CONFIG_JSON.equals(type);
    if (!configJson && !TYPE_DOCKERCFG.equals(type)) {
      throw new IllegalArgumentException("type " + type + " is not " + TYPE_CONFIG_JSON + " or " + TYPE_DOCKERCFG);
    }
    String key = configJson ? KEY_CONFIG_JSON : KEY_DOCKERCFG;
    byte[] content = data.get(key);
    if (content == null) {
      throw new IllegalArgumentException("no " + key + " key");
    }
    JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(key + " is not valid JSON");
    }
    JsonNode servers = configJson ? root.path("auths") : root;
    if (!servers.isObject()) {
      throw new IllegalArgumentException(key + (configJson ? " has no auths object" : " is not a JSON object"));
    }
    List<RegistryCredential> result = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : servers.properties()) {
      JsonNode e = entry.getValue();
      String username = text(e, "username");
      String password = text(e, "password");
      String auth = text(e, "auth");
      if (!auth.isEmpty()) {
        String decoded;
        try {
          decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
          throw new IllegalArgumentException("the auth field of server " + entry.getKey() + " is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException("the auth field of server " + entry.getKey()
              + " is not base64(username:password)");
        }
        username = decoded.substring(0, colon);
        password = decoded.substring(colon + 1);
      }
      RegistryCredential credential = new RegistryCredential(entry.getKey(), username, password);
      if (!result.contains(credential)) {
        result.add(credential);
      }
    }
    return result;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isString() ? "" : value.stringValue();
  }
}
