package org.dmarcq.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
        192.0.2.1                                | 192.0.2.1
        ' 192.0.2.1 '                            | 192.0.2.1
        192.000.002.001                          | 192.0.2.1
        2001:DB8::1                              | 2001:db8::1
        2001:0db8:0000:0000:0000:0000:0000:0001  | 2001:db8::1
        2001:db8:0:0:1:0:0:1                     | 2001:db8::1:0:0:1
        2001:db8:0:1:0:0:1:0                     | 2001:db8:0:1::1:0
        2001:db8:0:1:1:1:1:1                     | 2001:db8:0:1:1:1:1:1
        ::1                                      | ::1
        ::                                       | ::
        ::ffff:192.0.2.7                         | 192.0.2.7
        [2001:db8::2]                            | 2001:db8::2
        fe80::1%eth0                             | fe80::1
        256.1.1.1                                | NULL
        192.0.2                                  | NULL
        mail.example.com                         | NULL
        2001:db8::g                              | NULL
        ''                                       | NULL
        """)
    void canonicalForm(String text, String expected) {
        assertThat(IpAddresses.canonical(text)).isEqualTo(expected);
    }
}
