package io.ecivk.eci.mock.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecivk.eci.mock.api.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientTokenTest {

    private final ActionsFixture fixture = new ActionsFixture();

    private static Map<String, String> withToken(String name, String token) {
        Map<String, String> params = ActionsFixture.minimalCreate(name);
        params.put("ClientToken", token);
        return params;
    }

    @Test
    void sameTokenAndIdenticalParametersAnswerTheSameGroup() {
        String first = fixture.create(withToken("web", "uid-1"));
        String again = fixture.create(withToken("web", "uid-1"));

        assertThat(again).isEqualTo(first);
        assertThat(fixture.store.size()).isEqualTo(1);
    }

    @Test
    void sameTokenWithDifferentParametersIsAMismatch() {
        fixture.create(withToken("web", "uid-1"));
        Map<String, String> changed = withToken("web", "uid-1");
        changed.put("Container.1.Image", "nginx:1.26");

        assertThatThrownBy(() -> fixture.create(changed)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("IdempotentParameterMismatch");
            assertThat(e.getMessage())
                    .isEqualTo("The request uses the same client token as a previous, but non-identical request.");
        });
        assertThat(fixture.store.size()).isEqualTo(1);
    }

    @Test
    void differentTokensOrNoTokenCreateNewGroups() {
        String first = fixture.create(withToken("web", "uid-1"));
        String second = fixture.create(withToken("web", "uid-2"));
        String third = fixture.createNamed("web");
        String fourth = fixture.createNamed("web");

        assertThat(Map.of(1, first, 2, second, 3, third, 4, fourth).values()).doesNotHaveDuplicates();
        assertThat(fixture.store.size()).isEqualTo(4);
    }

    @Test
    void aTokenStillAnswersItsGroupIdAfterTheGroupIsGone() {
        String first = fixture.create(withToken("web", "uid-1"));
        fixture.delete(first, true);

        assertThat(fixture.create(withToken("web", "uid-1"))).isEqualTo(first);
        assertThat(fixture.store.size()).isZero();
    }

    @Test
    void idsLookLikeEciIds() {
        assertThat(fixture.createNamed("web")).matches("eci-[a-z0-9]{20}");
    }
}
