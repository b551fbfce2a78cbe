package io.ecivk.eci.mock.api;

import java.util.Map;

/**
 * An authenticated request handed to an action.
 *
 * @param parameters every decoded query parameter exactly as received
 * @param params     the same parameters as a tree
 */
public record ApiRequest(Map<String, String> parameters, Params params) {

    public static ApiRequest of(Map<String, String> parameters) {
        return new ApiRequest(Map.copyOf(parameters), Params.of(parameters));
    }
}
