/**
 * Where reports come from: files, folders, standard input, and whatever wraps them (gzip, zip,
 * e-mail, mbox, Maildir), told apart by content and unpacked within size limits;
 * {@link org.dmarcq.ingest.Ingest} reads them on worker threads and hands each report to the store,
 * collecting one problem per bad input without stopping the batch.
 */
package org.dmarcq.ingest;
