package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An {@code /etc/hosts} entry, rendered as {@code HostAliase.N.Ip} and {@code HostAliase.N.Hostname.N} (sic). */
public record HostAlias(String ip, List<String> hostnames) {
  public HostAlias {
    Objects.requireNonNull(ip, "ip");
    hostnames = ParamMap.copy(hostnames);
  }

  Map<String, Object> toParams() {
    return new ParamMap().put("Ip", ip).putList("Hostname", hostnames).build();
  }
}
