package org.dmarcq.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.dmarcq.rules.PublicSuffixList;
import picocli.CommandLine.Option;

/** {@code --psl FILE}: a Public Suffix List newer than the bundled one. */
final class SuffixOptions {
    static final String ENVIRONMENT = "DMARCQ_PSL";

    @Option(names = "--psl", paramLabel = "FILE",
            description = "A Public Suffix List file (public_suffix_list.dat) to use instead of the bundled list"
                    + " (default: $" + ENVIRONMENT + " when set).")
    Path file;

    private PublicSuffixList list;

    /** The list, loaded once per command. */
    PublicSuffixList list() {
        if (list == null) {
            list = load();
        }
        return list;
    }

    private PublicSuffixList load() {
        Path chosen = file;
        if (chosen == null) {
            String fromEnvironment = System.getenv(ENVIRONMENT);
            chosen = fromEnvironment == null || fromEnvironment.isBlank() ? null : Path.of(fromEnvironment);
        }
        if (chosen == null) {
            return PublicSuffixList.bundled();
        }
        try {
            return PublicSuffixList.load(chosen);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserException("--psl " + chosen + ": no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserException("--psl " + chosen + ": cannot read the file: permission denied", e);
        } catch (IOException e) {
            throw new UserException("--psl: " + e.getMessage(), e);
        }
    }
}
