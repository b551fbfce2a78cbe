package io.ecivk.eci.mock.bench;

/** What a create does when its zone/spec is out of stock (and no other requested zone has stock). */
public enum StockOutMode {
    /** The create succeeds; the group stays Pending with a Warning {@code NoStock} event until stock returns. */
    PENDING("Pending"),
    /** The create succeeds; the group goes to {@code ScheduleFailed} with a Warning {@code NoStock} event. */
    SCHEDULE_FAILED("ScheduleFailed");

    private final String wireName;

    StockOutMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses {@code Pending} or {@code ScheduleFailed} (case-insensitive). */
    public static StockOutMode parse(String name) {
        for (StockOutMode mode : values()) {
            if (mode.wireName.equalsIgnoreCase(name) || mode.name().equalsIgnoreCase(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown stock-out mode \"" + name + "\"; use Pending or ScheduleFailed");
    }
}
