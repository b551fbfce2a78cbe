package io.ecivk.eci.mock.network;

/**
 * An IPv4 block such as {@code 10.224.0.0/16}. Prefixes are limited to /8../29: wider blocks are not valid vSwitch
 * CIDRs, and narrower ones leave no host address once the reserved ones are skipped.
 */
public record Ipv4Cidr(int network, int prefixLength) {

    public Ipv4Cidr {
        if (prefixLength < 8 || prefixLength > 29) {
            throw new IllegalArgumentException("prefix length must be between 8 and 29, got /" + prefixLength);
        }
        if ((network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits set in " + format(network) + "/" + prefixLength);
        }
    }

    /** Parses {@code a.b.c.d/n}. */
    public static Ipv4Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR block (want a.b.c.d/n): " + cidr);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + cidr, e);
        }
        return new Ipv4Cidr(parseAddress(cidr.substring(0, slash)), prefix);
    }

    /** Number of addresses in the block, network and broadcast included. */
    public int size() {
        return 1 << (32 - prefixLength);
    }

    /** The address at {@code offset} from the network address. */
    public String addressAt(int offset) {
        if (offset < 0 || offset >= size()) {
            throw new IndexOutOfBoundsException(offset);
        }
        return format(network + offset);
    }

    /** Offset of {@code address} in this block, or -1 when it is outside. */
    public int offsetOf(String address) {
        int value = parseAddress(address);
        return (value & mask(prefixLength)) == network ? value - network : -1;
    }

    public boolean contains(String address) {
        return offsetOf(address) >= 0;
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }

    private static int mask(int prefixLength) {
        return (int) (0xFFFFFFFFL << (32 - prefixLength));
    }

    private static int parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted, e);
            }
            if (octet < 0 || octet > 255 || part.length() > 3 || part.startsWith("+")) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static String format(int address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }
}
