package org.dmarcq.cli;

import java.util.concurrent.Callable;
import org.dmarcq.analysis.InventoryDraft;
import org.dmarcq.analysis.Scope;
import org.dmarcq.analysis.SendingSystems;
import org.dmarcq.store.Store;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "inventory",
        description = "The inventory of known sending systems (a YAML file; format in docs/cli.md).",
        mixinStandardHelpOptions = true,
        subcommands = {InventoryCommand.Suggest.class})
final class InventoryCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "suggest",
            description = {"Draft inventory entries for the sending systems seen passing DMARC that the inventory does not"
                    + " know yet, to review, complete (owner, purpose) and keep."},
            mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  # the first draft; then edit it:", "  dmarcq inventory suggest > dmarcq-inventory.yaml",
                    "  # later: only what is new, to review and add:", "  dmarcq inventory suggest > new.yaml"})
    static final class Suggest implements Callable<Integer> {
        @Mixin NamingOptions namingOptions;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            var naming = namingOptions.naming();
            try (Store store = namingOptions.open(Scope.all(), spec.commandLine().getErr())) {
                var systems = SendingSystems.list(store, Scope.all(), namingOptions.classes(), naming);
                spec.commandLine().getOut().print(InventoryDraft.yaml(systems, naming));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

}
