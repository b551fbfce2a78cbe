package io.ecivk.eci.mock.actions;

import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiAction;
import io.ecivk.eci.mock.api.ApiException;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.model.ContainerGroupStore;

/**
 * {@code DeleteContainerGroup}: starts the Terminating period ({@code Force=true}: the group is gone at once).
 * Deleting a group that is already Terminating succeeds again; an id that does not exist (any more) is
 * {@code 404 InvalidContainerGroup.NotFound}.
 */
public final class DeleteContainerGroupAction implements ApiAction {

    private final ContainerGroupStore store;

    public DeleteContainerGroupAction(ContainerGroupStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "DeleteContainerGroup";
    }

    @Override
    public JsonObject handle(ApiRequest request) {
        String id = request.params().required("ContainerGroupId");
        boolean force = request.params().bool("Force").orElse(false);
        if (!store.delete(id, force)) {
            throw new ApiException(404, "InvalidContainerGroup.NotFound",
                    "The specified container group \"" + id + "\" does not exist.");
        }
        return new JsonObject();
    }
}
