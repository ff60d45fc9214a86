package org.dmarcq.report;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlTransient;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One {@code record}: a source IP, how many messages it sent with one set of identifiers and
 * authentication results, and what the receiver did with them.
 */
@XmlRootElement(name = "record")
@XmlAccessorType(XmlAccessType.FIELD)
public final class ReportRecord {
    @XmlElement(name = "row") Row row;
    @XmlElement(name = "identifiers") Identifiers identifiers;
    /** Spec D9: some reporters write {@code identities}. */
    @XmlElement(name = "identities") Identifiers identities;
    @XmlElement(name = "auth_results") AuthResults authResults;
    @XmlTransient int index;
    @XmlTransient int line = -1;
    @XmlTransient int textLength;

    ReportRecord() {}

    /** Position of the record in its report, from 1. */
    public int index() { return index; }
    /** Line of the record's start tag in the XML, or -1. */
    public int line() { return line; }
    /** Characters of text the record's values were read from: a measure of the memory it holds. */
    public int textLength() { return textLength; }

    /** Canonical text form of the sending IP address (IPv6 compressed, IPv4-mapped as IPv4). */
    public String sourceIp() { return row.sourceIp; }
    /** Number of messages this record stands for. */
    public long count() { return row.count; }
    /** What the receiver did: none, quarantine, reject, or RFC 9990 pass; unknown words kept. */
    public String disposition() { return row.policyEvaluated.disposition; }
    /** The receiver's DMARC-aligned DKIM verdict: pass or fail. */
    public String policyDkim() { return row.policyEvaluated.dkim; }
    /** The receiver's DMARC-aligned SPF verdict: pass or fail. */
    public String policySpf() { return row.policyEvaluated.spf; }
    public List<PolicyOverride> overrides() { return Collections.unmodifiableList(row.policyEvaluated.reasons); }
    public String headerFrom() { return identifiers.headerFrom; }
    public String envelopeFrom() { return identifiers.envelopeFrom; }
    public String envelopeTo() { return identifiers.envelopeTo; }
    public List<DkimResult> dkim() { return authResults == null ? List.of() : Collections.unmodifiableList(authResults.dkim); }
    public List<SpfResult> spf() { return authResults == null ? List.of() : Collections.unmodifiableList(authResults.spf); }

    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Row {
        @XmlElement(name = "source_ip") @XmlJavaTypeAdapter(Normalize.Text.class) String sourceIp;
        @XmlElement(name = "count") @XmlJavaTypeAdapter(Normalize.WholeNumber.class) Long count;
        @XmlElement(name = "policy_evaluated") PolicyEvaluated policyEvaluated;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    static final class PolicyEvaluated {
        @XmlElement(name = "disposition") @XmlJavaTypeAdapter(Normalize.Word.class) String disposition;
        @XmlElement(name = "dkim") @XmlJavaTypeAdapter(Normalize.Word.class) String dkim;
        @XmlElement(name = "spf") @XmlJavaTypeAdapter(Normalize.Word.class) String spf;
        @XmlElement(name = "reason") List<PolicyOverride> reasons = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Identifiers {
        @XmlElement(name = "envelope_to") @XmlJavaTypeAdapter(Normalize.Domain.class) String envelopeTo;
        @XmlElement(name = "envelope_from") @XmlJavaTypeAdapter(Normalize.Domain.class) String envelopeFrom;
        @XmlElement(name = "header_from") @XmlJavaTypeAdapter(Normalize.Domain.class) String headerFrom;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    static final class AuthResults {
        @XmlElement(name = "dkim") List<DkimResult> dkim = new ArrayList<>();
        @XmlElement(name = "spf") List<SpfResult> spf = new ArrayList<>();
    }
}
