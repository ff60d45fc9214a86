/**
 * Reports from the mailbox they arrive in: {@link org.dmarcq.fetch.Fetch} reads new messages from
 * IMAP folders in batches, stores the reports they hold through the same pipeline as files, and
 * only then archives or flags them, keeping a checkpoint per folder in the database.
 */
package org.dmarcq.fetch;
