package io.ecivk.eci.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod's DNS settings, rendered as {@code DnsConfig.NameServer.N}, {@code DnsConfig.Search.N} and
 * {@code DnsConfig.Option.N.{Name,Value}}. Used with {@code DnsPolicy=None} to replace ECI's resolver config.
 */
public record DnsConfig(List<String> nameServers, List<String> searches, List<Option> options) {

  /** A resolver option such as {@code ndots:2}; {@code value} may be null. */
  public record Option(String name, String value) {
    public Option {
      Objects.requireNonNull(name, "name");
    }
  }

  public DnsConfig {
    nameServers = ParamMap.copy(nameServers);
    searches = ParamMap.copy(searches);
    options = ParamMap.copy(options);
  }

  Map<String, Object> toParams() {
    return new ParamMap()
        .putList("NameServer", nameServers)
        .putList("Search", searches)
        .putList("Option", options, o -> new ParamMap().put("Name", o.name()).put("Value", o.value()).build())
        .build();
  }
}
