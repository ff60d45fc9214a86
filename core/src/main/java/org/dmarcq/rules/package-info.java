/**
 * DMARC rules that need no database: domain-name normalisation and organizational domains from the
 * Public Suffix List. Alignment, DMARC results and failure reasons are defined once, as the SQL
 * views documented in {@code docs/schema.md}, over the organizational domains computed here.
 */
package org.dmarcq.rules;
