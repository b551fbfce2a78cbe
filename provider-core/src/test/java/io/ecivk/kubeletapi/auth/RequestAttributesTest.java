package io.ecivk.kubeletapi.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestAttributesTest {

  @ParameterizedTest(name = "{0} {1} -> {2} nodes/{3}")
  @CsvSource({
      "GET,    /stats/summary,                     get,    stats",
      "GET,    /stats,                             get,    stats",
      "GET,    /statsfoo,                          get,    proxy",
      "POST,   /stats/summary,                     create, stats",
      "GET,    /metrics/resource,                  get,    metrics",
      "GET,    /metrics,                           get,    metrics",
      "GET,    /metrics/cadvisor,                  get,    metrics",
      "GET,    /logs/,                             get,    log",
      "GET,    /logs/messages,                     get,    log",
      "GET,    /containerLogs/ns/pod/c,            get,    proxy",
      "POST,   /exec/ns/pod/c,                     create, proxy",
      "GET,    /exec/ns/pod/c,                     get,    proxy",
      "POST,   /attach/ns/pod/c,                   create, proxy",
      "POST,   /portForward/ns/pod,                create, proxy",
      "GET,    /pods,                              get,    proxy",
      "GET,    /runningpods/,                      get,    proxy",
      "POST,   /run/ns/pod/c,                      create, proxy",
      "GET,    /healthz,                           get,    proxy",
      "HEAD,   /healthz,                           get,    proxy",
      "PUT,    /pods,                              update, proxy",
      "PATCH,  /pods,                              patch,  proxy",
      "DELETE, /pods,                              delete, proxy",
      "OPTIONS,/pods,                              '',     proxy",
  })
  void mapsLikeTheKubelet(String method, String path, String verb, String subresource) {
    RequestAttributes a = RequestAttributes.of(method, path, "vk-1");
    assertThat(a.verb()).isEqualTo(verb);
    assertThat(a.subresource()).isEqualTo(subresource);
    assertThat(a.nodeName()).isEqualTo("vk-1");
    assertThat(a.path()).isEqualTo(path);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET|/stats/summary|Forbidden (user=alice, verb=get, resource=nodes, subresource=stats)",
      "POST|/exec/a/b/c|Forbidden (user=alice, verb=create, resource=nodes, subresource=proxy)",
  })
  void forbiddenBodyIsTheKubeletsWording(String method, String path, String body) {
    assertThat(RequestAttributes.of(method, path, "n").forbiddenMessage(UserInfo.of("alice", java.util.List.of())))
        .isEqualTo(body);
  }

  @org.junit.jupiter.api.Test
  void authorizationErrorBodyIsTheKubeletsWording() {
    assertThat(RequestAttributes.of("GET", "/metrics/resource", "n")
        .authorizationErrorMessage(UserInfo.ANONYMOUS))
        .isEqualTo("Authorization error (user=system:anonymous, verb=get, resource=nodes, subresource=metrics)");
  }
}
