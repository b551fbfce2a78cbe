package io.ecivk.eci.mock.api;

import com.google.gson.JsonObject;

/** One API operation. Implementations must be thread-safe: the server calls them from several event loops. */
public interface ApiAction {

    /** The action name as sent in {@code x-acs-action}, e.g. {@code CreateContainerGroup}. */
    String name();

    /** Whether {@code RegionId} is mandatory; when it is sent it must always name the simulated region. */
    default boolean regionRequired() {
        return true;
    }

    /**
     * Handles an authenticated request whose RegionId has been checked.
     *
     * @return the answer's fields; the caller adds {@code RequestId}
     * @throws ApiException for requests the service refuses
     */
    JsonObject handle(ApiRequest request);
}
