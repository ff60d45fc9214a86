/**
 * The DMARC aggregate report: its model (JAXB-annotated, normalised as it is bound) and
 * {@link org.dmarcq.report.ReportReader}, which streams a report's header and then its records from
 * XML, tolerating the deviations real reporters make and refusing hostile input. Knows nothing of
 * files, containers or databases.
 */
package org.dmarcq.report;
