package org.dmarcq.report;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;
import java.util.ArrayList;
import java.util.List;

/** {@code report_metadata}: who reported, which report, which period (RFC 7489 App. C, RFC 9990). */
@XmlAccessorType(XmlAccessType.FIELD)
public final class ReportMetadata {
    @XmlElement(name = "org_name") @XmlJavaTypeAdapter(Normalize.Text.class) String orgName;
    @XmlElement(name = "email") @XmlJavaTypeAdapter(Normalize.Text.class) String email;
    @XmlElement(name = "extra_contact_info") @XmlJavaTypeAdapter(Normalize.Text.class) String extraContactInfo;
    @XmlElement(name = "report_id") @XmlJavaTypeAdapter(Normalize.Text.class) String reportId;
    @XmlElement(name = "date_range") DateRange dateRange;
    @XmlElement(name = "error") @XmlJavaTypeAdapter(Normalize.Text.class) List<String> errors = new ArrayList<>();
    @XmlElement(name = "generator") @XmlJavaTypeAdapter(Normalize.Text.class) String generator;

    ReportMetadata() {}

    public String orgName() { return orgName; }
    public String email() { return email; }
    public String extraContactInfo() { return extraContactInfo; }
    /** The reporter's report ID, verbatim (spec D11). */
    public String reportId() { return reportId; }
    public DateRange dateRange() { return dateRange; }
    /** The receiver's problems with the policy record; empty when none. */
    public List<String> errors() { return List.copyOf(errors); }
    /** RFC 9990 {@code generator}: reporting software, or null. */
    public String generator() { return generator; }
}
