package io.ecivk.eci.mock.model;

import java.util.List;

/**
 * An HTTP GET handler of a probe or lifecycle hook. {@code host} and {@code headers} only exist for lifecycle hooks;
 * any field but {@code port} may be null.
 */
public record HttpGetAction(String host, String path, int port, String scheme, List<NameValue> headers) {

    public HttpGetAction {
        headers = List.copyOf(headers);
    }
}
