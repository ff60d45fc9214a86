package org.dmarcq.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrganizationalDomainTest {
    private final PublicSuffixList suffixes = PublicSuffixList.bundled();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
        # name                          | organizational domain     | why
        example.com                     | example.com               | registrable name
        a.b.example.com                 | example.com               | RFC 7489 3.2: suffix plus one label
        mail.example.co.uk              | example.co.uk             | co.uk is a public suffix: not "last two labels"
        example.co.uk                   | example.co.uk             | registrable under a two-label suffix
        co.uk                           | NULL                      | a public suffix has no organizational domain
        com                             | NULL                      | a TLD is a public suffix
        a.b.kawasaki.jp                 | a.b.kawasaki.jp           | wildcard rule *.kawasaki.jp
        b.kawasaki.jp                   | NULL                      | matched by the wildcard: a public suffix
        www.city.kawasaki.jp            | city.kawasaki.jp          | exception rule !city.kawasaki.jp
        foo.blogspot.com                | foo.blogspot.com          | private section: blogspot.com is a suffix
        www.example.github.io           | example.github.io         | private section
        mail.dept.example.org           | example.org               | subdomains collapse to the org domain
        foo.bar.example                 | bar.example               | unknown TLD: the default rule *
        www.xn--85x722f.xn--55qx5d.cn   | xn--85x722f.xn--55qx5d.cn | IDN suffix 公司.cn, compared as A-labels
        """)
    void organizationalDomain(String name, String expected, String why) {
        assertThat(suffixes.organizationalDomain(name)).as(why).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
        Example.COM            | example.com
        example.com.           | example.com
        ' example.com '        | example.com
        bücher.example         | xn--bcher-kva.example
        XN--BCHER-KVA.example  | xn--bcher-kva.example
        faß.de                 | xn--fa-hia.de
        www.食狮.公司.cn         | www.xn--85x722f.xn--55qx5d.cn
        _dmarc.example.com     | _dmarc.example.com
        example                | NULL
        192.0.2.1              | NULL
        2001:db8::1            | NULL
        ''                     | NULL
        a..example.com         | NULL
        """)
    void namesAreComparedAsLowercaseALabels(String name, String expected) {
        assertThat(DomainNames.toAscii(name)).isEqualTo(expected);
    }

    @Test
    void theBundledListIsNamedByItsVersion() {
        assertThat(suffixes.version()).startsWith("bundled 20");
    }
}
