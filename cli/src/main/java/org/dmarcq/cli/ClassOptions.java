package org.dmarcq.cli;

import org.dmarcq.analysis.Classes;
import picocli.CommandLine.Option;

/** The limits of the sender classification (docs/cli.md, "Classes"), for the commands that class senders. */
final class ClassOptions {
    @Option(names = "--steady-days", paramLabel = "N", defaultValue = "3",
            description = "A steady sender sends on at least N days (default: ${DEFAULT-VALUE}),")
    int steadyDays;

    @Option(names = "--steady-share", paramLabel = "PERCENT", defaultValue = "50",
            description = "and on at least PERCENT of the days with reports (default: ${DEFAULT-VALUE}),")
    double steadyShare;

    @Option(names = "--steady-per-day", paramLabel = "N", defaultValue = "10",
            description = "with at least N messages per sending day (default: ${DEFAULT-VALUE}).")
    double steadyPerDay;

    @Option(names = "--batch-days", paramLabel = "N", defaultValue = "2",
            description = "A sender in batches (monthly invoices, a weekly newsletter) sends on at least N days (default: ${DEFAULT-VALUE}),")
    int batchDays;

    @Option(names = "--batch-per-day", paramLabel = "N", defaultValue = "20",
            description = "with at least N messages per sending day (default: ${DEFAULT-VALUE}).")
    double batchPerDay;

    @Option(names = "--forwarder-share", paramLabel = "PERCENT", defaultValue = "50",
            description = "A forwarder: at least PERCENT of its failing mail looks forwarded (default: ${DEFAULT-VALUE}).")
    double forwarderShare;

    Classes classes() {
        if (steadyDays < 1 || batchDays < 1) {
            throw UserException.usage("--steady-days and --batch-days: expected at least 1");
        }
        if (steadyShare < 0 || steadyShare > 100 || forwarderShare < 0 || forwarderShare > 100) {
            throw UserException.usage("--steady-share and --forwarder-share: expected a percentage, 0 to 100");
        }
        if (steadyPerDay < 0 || batchPerDay < 0) {
            throw UserException.usage("--steady-per-day and --batch-per-day: expected a number of messages, 0 or more");
        }
        return new Classes(steadyDays, steadyShare / 100, steadyPerDay, batchDays, batchPerDay, forwarderShare / 100);
    }
}
