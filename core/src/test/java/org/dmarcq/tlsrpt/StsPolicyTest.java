package org.dmarcq.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StsPolicyTest {
    @Test
    void aValidPolicy() {
        StsPolicy p = StsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.mail.example.com\r\nmax_age: 604800\r\n");
        assertThat(p.problems()).isEmpty();
        assertThat(p.mode()).isEqualTo("enforce");
        assertThat(p.mx()).containsExactly("mx1.example.com", "*.mail.example.com");
        assertThat(p.maxAge()).isEqualTo(604800);
    }

    @Test
    void whatMakesAPolicyInvalidIsNamed() {
        StsPolicy p = StsPolicy.parse("version: STSv2\nmode: enforcing\nmx: mx.*.example.com\nmax_age: 99999999999\njunk\nextension: kept\n");
        assertThat(p.valid()).isFalse();
        assertThat(p.problems()).containsExactly(
                "line 4: max_age \"99999999999\" is not 0 to 31557600 seconds",
                "line 5: \"junk\" is not key: value",
                "version \"STSv2\": expected STSv1",
                "mode \"enforcing\": expected enforce, testing or none",
                "mx \"mx.*.example.com\": a wildcard may only be the whole leftmost label, as in *.example.com");
        assertThat(StsPolicy.parse("version: STSv1\nmode: testing\nmax_age: 86400").problems())
                .containsExactly("no mx line: no MX host would be valid");
        assertThat(StsPolicy.parse("version: STSv1\nmode: none\nmax_age: 86400").valid()).as("mode none needs no mx").isTrue();
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "mx1.example.com, mx1.example.com, true",
        "mx1.example.com, MX1.Example.COM., true",
        "*.example.com, mx1.example.com, true",
        "*.example.com, a.b.example.com, false",
        "*.example.com, example.com, false",
        "mx1.example.com, mx2.example.com, false",
    })
    void mxPatternsMatchOneLabelAtMost(String pattern, String host, boolean matches) {
        assertThat(StsPolicy.matches(List.of(pattern), host)).isEqualTo(matches);
    }
}
