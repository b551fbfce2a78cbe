package io.ecivk.eci.mock.actions;

import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiAction;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.model.ContainerGroupStore;

/**
 * {@code CreateContainerGroup}: validates, sizes and places a group, answering {@code {ContainerGroupId}}. A retry
 * with the same ClientToken and identical parameters answers the first call's id without creating anything.
 */
public final class CreateContainerGroupAction implements ApiAction {

    private final CreateRequestParser parser;
    private final ContainerGroupStore store;

    public CreateContainerGroupAction(CreateRequestParser parser, ContainerGroupStore store) {
        this.parser = parser;
        this.store = store;
    }

    @Override
    public String name() {
        return "CreateContainerGroup";
    }

    @Override
    public JsonObject handle(ApiRequest request) {
        JsonObject json = new JsonObject();
        json.addProperty("ContainerGroupId", store.create(parser.parse(request)).containerGroupId());
        return json;
    }
}
