package io.ecivk.eci.mock.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpPoolTest {

    @Test
    void skipsNetworkReservedAndBroadcastAddresses() {
        IpPool pool = new IpPool(Ipv4Cidr.parse("192.168.7.0/29"));
        List<String> handedOut = new ArrayList<>();
        for (Optional<String> ip = pool.allocate(); ip.isPresent(); ip = pool.allocate()) {
            handedOut.add(ip.get());
        }
        assertThat(handedOut).containsExactly("192.168.7.4", "192.168.7.5", "192.168.7.6");
    }

    @Test
    void allocatesSequentiallyAndNeverReusesAnAllocatedAddress() {
        IpPool pool = new IpPool(Ipv4Cidr.parse("10.224.0.0/16"));
        assertThat(pool.allocate()).contains("10.224.0.4");
        assertThat(pool.allocate()).contains("10.224.0.5");
        pool.release("10.224.0.4");
        // The cursor moves on: a released address waits until the block wraps around.
        assertThat(pool.allocate()).contains("10.224.0.6");
        assertThat(pool.allocatedCount()).isEqualTo(2);
    }

    @Test
    void reusesReleasedAddressesAfterWrappingAround() {
        IpPool pool = new IpPool(Ipv4Cidr.parse("10.0.0.0/29"));
        pool.allocate();
        pool.allocate();
        pool.allocate();
        assertThat(pool.allocate()).isEmpty();
        pool.release("10.0.0.5");
        assertThat(pool.allocate()).contains("10.0.0.5");
        assertThat(pool.allocate()).isEmpty();
    }

    @Test
    void cidrParsingAndMembership() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("10.224.0.0/16");
        assertThat(cidr.size()).isEqualTo(65536);
        assertThat(cidr.contains("10.224.255.254")).isTrue();
        assertThat(cidr.contains("10.225.0.1")).isFalse();
        assertThat(cidr).hasToString("10.224.0.0/16");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.224.0.1/16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.224.0.0/30")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.224.0/16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.224.0.256/24")).isInstanceOf(IllegalArgumentException.class);
    }
}
