package io.ecivk.eci.mock.model;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** How a multi-vSwitch request picks its zone: in the order given, or at random. */
public enum ScheduleStrategy {
    VSWITCH_ORDERED("VSwitchOrdered"),
    VSWITCH_RANDOM("VSwitchRandom");

    private final String wireName;

    ScheduleStrategy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** All wire names, for validating the request parameter. */
    public static Set<String> wireNames() {
        return Arrays.stream(values()).map(ScheduleStrategy::wireName).collect(Collectors.toUnmodifiableSet());
    }

    /** @throws IllegalArgumentException for a name that is not one of {@link #wireNames()} */
    public static ScheduleStrategy fromWireName(String name) {
        return Arrays.stream(values()).filter(strategy -> strategy.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown schedule strategy " + name));
    }
}
