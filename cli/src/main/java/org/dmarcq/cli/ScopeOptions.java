package org.dmarcq.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.dmarcq.analysis.Scope;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --domain}, {@code --since}, {@code --until}: which reports a question covers. */
final class ScopeOptions {
    @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only this policy domain.")
    String domain;

    @Option(names = "--since", paramLabel = "DATE", converter = Dates.class,
            description = "Only reports whose period begins on or after this UTC day (e.g. 2026-11-01).")
    LocalDate since;

    @Option(names = "--until", paramLabel = "DATE", converter = Dates.class,
            description = "Only reports whose period begins on or before this UTC day.")
    LocalDate until;

    Scope toScope() {
        try {
            return new Scope(domain == null ? null : domain.strip().toLowerCase(Locale.ROOT).replaceAll("\\.$", ""), since, until);
        } catch (IllegalArgumentException e) {
            throw UserException.usage("--since/--until: " + e.getMessage());
        }
    }

    static final class Dates implements ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return LocalDate.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a date: expected a date like 2026-11-01");
            }
        }
    }
}
