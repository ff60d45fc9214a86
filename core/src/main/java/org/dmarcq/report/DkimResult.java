package org.dmarcq.report;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;

/** {@code auth_results/dkim}: one DKIM signature's raw result, not interpreted for DMARC. */
@XmlAccessorType(XmlAccessType.FIELD)
public final class DkimResult {
    @XmlElement(name = "domain") @XmlJavaTypeAdapter(Normalize.Domain.class) String domain;
    @XmlElement(name = "selector") @XmlJavaTypeAdapter(Normalize.Word.class) String selector;
    @XmlElement(name = "result") @XmlJavaTypeAdapter(Normalize.Word.class) String result;
    @XmlElement(name = "human_result") @XmlJavaTypeAdapter(Normalize.Text.class) String humanResult;

    DkimResult() {}

    /** The signing domain, {@code d=}. */
    public String domain() { return domain; }
    /** The selector, {@code s=}, or null when the reporter left it out. */
    public String selector() { return selector; }
    /** none, pass, fail, policy, neutral, temperror or permerror; unknown words kept. */
    public String result() { return result; }
    public String humanResult() { return humanResult; }
}
