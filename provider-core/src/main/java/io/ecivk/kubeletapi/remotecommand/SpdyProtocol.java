package io.ecivk.kubeletapi.remotecommand;

import java.util.List;
import java.util.Optional;

/** The remote-command protocol versions offered over SPDY, in the kubelet's order of preference. */
enum SpdyProtocol {
  V4("v4.channel.k8s.io", true, true),
  V3("v3.channel.k8s.io", true, false),
  V2("v2.channel.k8s.io", false, false),
  V1("channel.k8s.io", false, false);

  private final String header;
  private final boolean resize;
  private final boolean jsonStatus;

  SpdyProtocol(String header, boolean resize, boolean jsonStatus) {
    this.header = header;
    this.resize = resize;
    this.jsonStatus = jsonStatus;
  }

  String header() {
    return header;
  }

  /** Whether a TTY session has a resize stream (v3 on). */
  boolean supportsResize() {
    return resize;
  }

  /** Whether the error stream carries a JSON status (v4), rather than a message on failure only. */
  boolean jsonStatus() {
    return jsonStatus;
  }

  /** The first protocol the client offers that the server supports (the client's order decides, as in Kubernetes). */
  static Optional<SpdyProtocol> negotiate(List<String> offered) {
    for (String candidate : offered) {
      for (SpdyProtocol p : values()) {
        if (p.header.equals(candidate)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
