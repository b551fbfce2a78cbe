package io.ecivk.eci.mock.network;

import java.util.BitSet;
import java.util.Optional;

/**
 * Hands out the host addresses of one CIDR block. Like a VPC vSwitch it never hands out the network address, the
 * first three host addresses (reserved for the gateway and cloud services) or the broadcast address. Allocation is
 * sequential from a moving cursor, so a released address is only reused after the rest of the block has been cycled
 * through, and never while it is still allocated.
 * <p>
 * Not thread-safe: the owner serialises access.
 */
public final class IpPool {

    private static final int RESERVED_AT_START = 4;

    private final Ipv4Cidr cidr;
    private final BitSet allocated;
    private final int firstUsable;
    private final int lastUsable;
    private int cursor;

    public IpPool(Ipv4Cidr cidr) {
        this.cidr = cidr;
        this.allocated = new BitSet(cidr.size());
        this.firstUsable = RESERVED_AT_START;
        this.lastUsable = cidr.size() - 2;
        this.cursor = firstUsable;
    }

    /** The next free address, or empty when every usable address is allocated. */
    public Optional<String> allocate() {
        int usable = lastUsable - firstUsable + 1;
        for (int tried = 0; tried < usable; tried++) {
            int offset = cursor;
            cursor = offset == lastUsable ? firstUsable : offset + 1;
            if (!allocated.get(offset)) {
                allocated.set(offset);
                return Optional.of(cidr.addressAt(offset));
            }
        }
        return Optional.empty();
    }

    /** Returns an address to the pool; addresses this pool did not hand out are ignored. */
    public void release(String address) {
        int offset = cidr.offsetOf(address);
        if (offset >= firstUsable && offset <= lastUsable) {
            allocated.clear(offset);
        }
    }

    public int allocatedCount() {
        return allocated.cardinality();
    }
}
