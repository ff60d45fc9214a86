/**
 * The {@code dmarcq} command: one package-private class per subcommand, mapping options onto core
 * and printing results. No DMARC logic lives here.
 */
package org.dmarcq.cli;
