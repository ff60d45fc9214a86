package org.dmarcq.report;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlTransient;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;
import java.time.Instant;

/** {@code report_metadata/date_range}: the reporting period, in UTC. */
@XmlAccessorType(XmlAccessType.FIELD)
public final class DateRange {
    @XmlElement(name = "begin") @XmlJavaTypeAdapter(Normalize.Text.class) String rawBegin;
    @XmlElement(name = "end") @XmlJavaTypeAdapter(Normalize.Text.class) String rawEnd;
    @XmlTransient long begin;
    @XmlTransient long end;

    DateRange() {}

    DateRange(long begin, long end) {
        this.begin = begin;
        this.end = end;
        this.rawBegin = Long.toString(begin);
        this.rawEnd = Long.toString(end);
    }

    /** Start of the period, seconds since the epoch. */
    public long beginEpochSecond() { return begin; }

    /** End of the period as the reporter wrote it (inclusive or exclusive), seconds since the epoch. */
    public long endEpochSecond() { return end; }

    public Instant begin() { return Instant.ofEpochSecond(begin); }

    public Instant end() { return Instant.ofEpochSecond(end); }
}
