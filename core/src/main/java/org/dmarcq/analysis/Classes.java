package org.dmarcq.analysis;

/**
 * The limits of the sender classification (docs/cli.md, "Classes"): when a source that nothing
 * ties to the owner sends regularly enough to be someone's system ({@code unverified}) rather than
 * a forger ({@code spoofing}), and when it looks forwarded.
 *
 * @param steadyDays a steady source sends on at least this many days,
 * @param steadyShare and on at least this share of the days with reports,
 * @param steadyPerDay and at least this many messages per sending day on average
 * @param batchDays a periodic source (monthly invoices, a weekly newsletter) sends on at least this many days,
 * @param batchPerDay and at least this many messages per sending day
 * @param forwarderShare share of its failing messages that must look forwarded (a receiver's
 *     forwarding override, or a broken signature of the domain's own beside other signs of a relay)
 */
public record Classes(int steadyDays, double steadyShare, double steadyPerDay, int batchDays, double batchPerDay,
                      double forwarderShare) {
    public Classes {
        if (steadyDays < 1 || batchDays < 1 || steadyShare < 0 || steadyShare > 1 || forwarderShare < 0 || forwarderShare > 1
                || steadyPerDay < 0 || batchPerDay < 0) {
            throw new IllegalArgumentException("classification limits out of range");
        }
    }

    public static Classes defaults() {
        return new Classes(3, 0.5, 10, 2, 20, 0.5);
    }
}
