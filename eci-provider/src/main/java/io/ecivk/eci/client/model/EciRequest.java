package io.ecivk.eci.client.model;

import java.util.Map;

/** One ECI API call: its action name and its parameters. */
public interface EciRequest {

  /** The API action, sent as {@code x-acs-action}, e.g. {@code CreateContainerGroup}. */
  String action();

  /**
   * The parameters as the SDK's models render them: PascalCase names, nested objects as maps, repeated fields
   * as lists, absent fields omitted. {@code RegionId} is added by the client, which is bound to one region.
   */
  Map<String, Object> toParams();
}
