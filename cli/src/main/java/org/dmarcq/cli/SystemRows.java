package org.dmarcq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.dmarcq.analysis.Evidence;
import org.dmarcq.analysis.SendingSystem;
import org.dmarcq.cli.output.Format;
import org.dmarcq.cli.output.ResultPrinter;

/** Sending systems as rows, printed as they come: {@code unknown} and {@code senders --by system} (fields in docs/cli.md). */
final class SystemRows implements Consumer<SendingSystem> {
    private final boolean withInventory;
    private final Format format;
    private final ResultPrinter.Rows rows;

    SystemRows(boolean withInventory, Format format, PrintWriter out) {
        this.withInventory = withInventory;
        this.format = format;
        boolean table = format == Format.TABLE;
        List<String> columns = new ArrayList<>(List.of("system", "type", "ips", "ptr", "messages", "dmarc_pass", "dmarc_fail",
                "spf_aligned", "dkim_aligned", "reason", "first_seen", "last_seen", "reporters", "header_from", "dkim_domains",
                "envelope_from"));
        if (table) {
            columns.add(1, "class");
        } else {
            columns.addAll(List.of("class", "sending_days", "evidence"));
        }
        if (withInventory) {
            columns.add(1, "inventory");
        }
        rows = ResultPrinter.forCommand(out).dropFirst("reporters", "envelope_from", "header_from", "dkim_domains", "first_seen",
                "last_seen", "ptr", "dmarc_pass", "spf_aligned", "dkim_aligned", "type", "inventory", "ips", "dmarc_fail")
                .rows(columns, format);
    }

    @Override
    public void accept(SendingSystem s) {
        boolean table = format == Format.TABLE;
        List<Object> row = new ArrayList<>(Arrays.asList(s.name(), s.type(), s.ips(), s.ptr(), s.messages(), s.dmarcPass(),
                s.dmarcFail(), s.spfAligned(), s.dkimAligned(), s.reason(),
                table ? SendersCommand.day(s.firstSeen()) : s.firstSeen(), table ? SendersCommand.day(s.lastSeen()) : s.lastSeen(),
                s.reporters(), s.headerFrom(), s.dkimDomains(), s.envelopeFrom()));
        if (table) {
            row.add(1, s.senderClass().word());
        } else {
            row.add(s.senderClass().word());
            row.add(s.sendingDays());
            row.add(evidence(s.evidence(), format));
        }
        if (withInventory) {
            row.add(1, s.inventoryName());
        }
        rows.row(row.toArray());
    }

    /** Finishes the output. */
    void end() {
        rows.end();
    }

    /** Evidence as JSON objects {@code {kind, detail}}, or in CSV as a list of {@code kind: detail} (one per line of the cell). */
    static Object evidence(List<Evidence> evidence, Format format) {
        if (format == Format.JSON) {
            return WhatIfCommand.evidence(evidence);
        }
        List<String> lines = new ArrayList<>();
        for (Evidence e : evidence) {
            lines.add(e.kind().word() + ": " + e.detail());
        }
        return lines;
    }
}
