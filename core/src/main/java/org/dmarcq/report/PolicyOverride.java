package org.dmarcq.report;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;

/**
 * {@code policy_evaluated/reason}: why the receiver applied something other than the published
 * policy. Types from both RFC 7489 and RFC 9990 are accepted, unknown ones kept as written (D23).
 */
@XmlAccessorType(XmlAccessType.FIELD)
public final class PolicyOverride {
    @XmlElement(name = "type") @XmlJavaTypeAdapter(Normalize.Word.class) String type;
    @XmlElement(name = "comment") @XmlJavaTypeAdapter(Normalize.Text.class) String comment;

    PolicyOverride() {}

    /** forwarded, sampled_out, trusted_forwarder, mailing_list, local_policy, policy_test_mode, other, ... */
    public String type() { return type; }
    public String comment() { return comment; }
}
