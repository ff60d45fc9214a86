package org.dmarcq.report;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;

/**
 * {@code policy_published}: the DMARC record the receiver found, as reported. Absent tags stay
 * null here; their defaults (sp = p, pct = 100, ...) are a rule, applied where policy is evaluated.
 */
@XmlAccessorType(XmlAccessType.FIELD)
public final class PolicyPublished {
    @XmlElement(name = "domain") @XmlJavaTypeAdapter(Normalize.Domain.class) String domain;
    @XmlElement(name = "adkim") @XmlJavaTypeAdapter(Normalize.Word.class) String adkim;
    @XmlElement(name = "aspf") @XmlJavaTypeAdapter(Normalize.Word.class) String aspf;
    @XmlElement(name = "p") @XmlJavaTypeAdapter(Normalize.Word.class) String p;
    @XmlElement(name = "sp") @XmlJavaTypeAdapter(Normalize.Word.class) String sp;
    @XmlElement(name = "np") @XmlJavaTypeAdapter(Normalize.Word.class) String np;
    @XmlElement(name = "pct") @XmlJavaTypeAdapter(Normalize.WholeNumber.class) Long pct;
    @XmlElement(name = "fo") @XmlJavaTypeAdapter(Normalize.Word.class) String fo;
    @XmlElement(name = "testing") @XmlJavaTypeAdapter(Normalize.Word.class) String testing;
    @XmlElement(name = "discovery_method") @XmlJavaTypeAdapter(Normalize.Word.class) String discoveryMethod;

    PolicyPublished() {}

    /** The DMARC policy domain: where the record was found. */
    public String domain() { return domain; }
    public String adkim() { return adkim; }
    public String aspf() { return aspf; }
    public String p() { return p; }
    public String sp() { return sp; }
    /** RFC 9990 policy for non-existent subdomains. */
    public String np() { return np; }
    /** RFC 7489 pct (removed in RFC 9990). */
    public Long pct() { return pct; }
    public String fo() { return fo; }
    /** RFC 9990 {@code testing} ({@code t=} tag): y or n. */
    public String testing() { return testing; }
    /** RFC 9990 {@code discovery_method}: psl or treewalk. */
    public String discoveryMethod() { return discoveryMethod; }
}
