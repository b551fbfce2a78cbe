package io.ecivk.eci.client.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests and responses may be logged by mistake: their toString never shows a secret. */
class SecretMaskingTest {
  private static final String PASSWORD = "hunter2-registry";
  private static final String ENV_SECRET = "env-secret-value";
  private static final String FILE_SECRET = "file-secret-content";

  @Test
  void registryPasswordIsMasked() {
    var credential = new ImageRegistryCredential("registry.example.com", "robot", PASSWORD);

    assertThat(credential.toString())
        .contains("registry.example.com", "robot", "password=***")
        .doesNotContain(PASSWORD);
    assertThat(credential.password()).isEqualTo(PASSWORD);
    assertThat(new ImageRegistryCredential("r", "u", null).toString()).contains("password=null");
  }

  @Test
  void wholeRequestsMaskPasswordsEnvValuesAndConfigFiles() {
    var configFile = ConfigFileToPath.ofText("token", FILE_SECRET, null);
    var container =
        Container.builder("c", "i").environmentVars(List.of(EnvironmentVar.literal("TOKEN", ENV_SECRET))).build();
    var create =
        CreateContainerGroupRequest.builder("g")
            .containers(List.of(container))
            .volumes(List.of(Volume.configFile("secret", null, List.of(configFile))))
            .imageRegistryCredentials(List.of(new ImageRegistryCredential("r", "u", PASSWORD)))
            .build();
    var update =
        UpdateContainerGroupRequest.builder("eci-1")
            .containers(List.of(container))
            .volumes(List.of(Volume.configFile("secret", null, List.of(configFile))))
            .imageRegistryCredentials(List.of(new ImageRegistryCredential("r", "u", PASSWORD)))
            .build();

    for (String text : List.of(create.toString(), update.toString())) {
      assertThat(text)
          .contains("TOKEN", "token", "password=***")
          .doesNotContain(PASSWORD, ENV_SECRET, FILE_SECRET, configFile.content());
    }
  }

  @Test
  void describedEnvValuesAndConfigFileContentsAreMasked() {
    var env = new DescribeContainerGroupsResponse.EnvironmentVarInfo("TOKEN", ENV_SECRET, null);
    var file = new DescribeContainerGroupsResponse.ConfigFileToPathInfo("token", FILE_SECRET);

    assertThat(env.toString()).contains("TOKEN").doesNotContain(ENV_SECRET);
    assertThat(file.toString()).contains("token").doesNotContain(FILE_SECRET);
  }
}
