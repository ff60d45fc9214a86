package org.dmarcq.spf;

import java.util.Locale;

/** The results of check_host (RFC 7208 §2.6), as reports spell them. */
public enum SpfResult {
    NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
