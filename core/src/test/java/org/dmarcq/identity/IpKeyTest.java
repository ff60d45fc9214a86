package org.dmarcq.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.dmarcq.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SQL macro {@code ip_key} and the keys of {@link AddressRange} agree, so that ranges match in SQL as in Java. */
class IpKeyTest {
    @TempDir static Path temp;

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        192.0.2.1            | 192.0.2.0/24     | true
        192.0.3.1            | 192.0.2.0/24     | false
        10.0.0.0             | 10.0.0.0/8       | true
        10.255.255.255       | 10.0.0.0/8       | true
        11.0.0.0             | 10.0.0.0/8       | false
        209.85.220.41        | 209.85.128.0/17  | true
        0.0.0.0              | 0.0.0.0/0        | true
        2001:db8::1          | 2001:db8::/32    | true
        2001:db9::1          | 2001:db8::/32    | false
        ::1                  | ::/127           | true
        fe80::               | fe80::/10        | true
        2a00:1450:4864::12   | 2a00:1450::/32   | true
        2001:db8:1:2:3:4:5:6 | 2001:db8:1::/48  | true
        2001:db8:2::         | 2001:db8:1::/48  | false
        192.0.2.1            | 2001:db8::/32    | false
        """)
    void sqlKeysMatchJavaRanges(String ip, String cidr, boolean contained) throws Exception {
        AddressRange range = AddressRange.parse(cidr, "test");
        assertThat(range.contains(ip)).isEqualTo(contained);
        try (Store store = Store.open(temp.resolve("k.duckdb"));
             PreparedStatement s = store.connection().prepareStatement(
                     "SELECT length(ip_key(?)) = length(?) AND ip_key(?) BETWEEN ? AND ?")) {
            String lo = range.key(false);
            s.setString(1, ip);
            s.setString(2, lo);
            s.setString(3, ip);
            s.setString(4, lo);
            s.setString(5, range.key(true));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).isEqualTo(contained);
            }
        }
    }

    @Test
    void keysAreFixedWidthHexadecimal() {
        assertThat(AddressRange.bytes("192.0.2.1")).isNotNull();
        assertThat(new AddressRange(new byte[] {(byte) 192, 0, 2, 0}, 24).key(false)).isEqualTo("4c0000200");
        assertThat(new AddressRange(new byte[] {(byte) 192, 0, 2, 0}, 24).key(true)).isEqualTo("4c00002ff");
    }
}
