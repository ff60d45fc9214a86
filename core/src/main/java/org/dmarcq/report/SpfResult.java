package org.dmarcq.report;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;

/** {@code auth_results/spf}: one raw SPF result. */
@XmlAccessorType(XmlAccessType.FIELD)
public final class SpfResult {
    @XmlElement(name = "domain") @XmlJavaTypeAdapter(Normalize.Domain.class) String domain;
    @XmlElement(name = "scope") @XmlJavaTypeAdapter(Normalize.Word.class) String scope;
    @XmlElement(name = "result") @XmlJavaTypeAdapter(Normalize.Word.class) String result;
    @XmlElement(name = "human_result") @XmlJavaTypeAdapter(Normalize.Text.class) String humanResult;

    SpfResult() {}

    /** The domain SPF checked. */
    public String domain() { return domain; }
    /** mfrom or helo; null when absent (optional in RFC 9990). */
    public String scope() { return scope; }
    /** none, neutral, pass, fail, softfail, temperror, permerror or policy; unknown words kept. */
    public String result() { return result; }
    public String humanResult() { return humanResult; }
}
