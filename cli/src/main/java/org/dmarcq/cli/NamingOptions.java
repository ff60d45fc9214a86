package org.dmarcq.cli;

import java.nio.file.Path;
import org.dmarcq.analysis.Classes;
import org.dmarcq.analysis.Naming;
import org.dmarcq.store.Store;
import picocli.CommandLine.Mixin;

/**
 * The options of the commands that name the addresses they show: the database, the suffix list,
 * reverse DNS ({@code --offline}, {@code --dns}), the inventory and the service map.
 */
final class NamingOptions {
    @Mixin DatabaseOptions database;
    @Mixin SuffixOptions suffixes;
    @Mixin DnsOptions dns;
    @Mixin InventoryOptions inventory;
    @Mixin ServicesOptions services;
    @Mixin ClassOptions classOptions;

    /** How sources are named and grouped; the inventory is read before the database is opened. */
    Naming naming() {
        return new Naming(services.map(), inventory.load(database.path()), suffixes.list());
    }

    /** The database, current, with reverse DNS of the scope's addresses looked up (unless --offline): see {@link Analysis}. */
    Store open(org.dmarcq.analysis.Scope scope, java.io.PrintWriter err) {
        return Analysis.open(database, suffixes, dns, scope, err);
    }

    /** The same, where a store of SMTP TLS reports alone will do. */
    Store openForReport(org.dmarcq.analysis.Scope scope, java.io.PrintWriter err) {
        return Analysis.open(database, suffixes, dns, scope, true, err);
    }

    /** The limits of the sender classification. */
    Classes classes() {
        return classOptions.classes();
    }

    Path inventoryPath() {
        return inventory.path(database.path());
    }
}
