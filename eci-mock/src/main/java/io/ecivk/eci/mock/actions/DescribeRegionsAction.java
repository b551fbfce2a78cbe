package io.ecivk.eci.mock.actions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ecivk.eci.mock.api.ApiAction;
import io.ecivk.eci.mock.api.ApiRequest;
import io.ecivk.eci.mock.model.Region;

/** {@code DescribeRegions}: the single simulated region, whose zones are those of the configured vSwitches. */
public final class DescribeRegionsAction implements ApiAction {

    private final Region region;

    public DescribeRegionsAction(Region region) {
        this.region = region;
    }

    @Override
    public String name() {
        return "DescribeRegions";
    }

    /** RegionId is optional here: listing regions is how a client discovers them. */
    @Override
    public boolean regionRequired() {
        return false;
    }

    @Override
    public JsonObject handle(ApiRequest request) {
        JsonObject entry = new JsonObject();
        entry.addProperty("RegionId", region.regionId());
        entry.addProperty("RegionEndpoint", region.endpoint());
        entry.add("Zones", Json.strings(region.zones()));
        entry.add("RecommendZones", Json.strings(region.zones()));
        JsonArray regions = new JsonArray();
        regions.add(entry);
        JsonObject json = new JsonObject();
        json.add("Regions", regions);
        return json;
    }
}
