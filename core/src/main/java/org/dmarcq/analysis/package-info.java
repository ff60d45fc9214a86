/**
 * Questions over the store, answered from the documented views so that the library, the commands
 * and {@code dmarcq sql} see the same numbers: who sends as a domain ({@link org.dmarcq.analysis.Senders})
 * and how each policy domain fares ({@link org.dmarcq.analysis.Domains}).
 */
package org.dmarcq.analysis;
