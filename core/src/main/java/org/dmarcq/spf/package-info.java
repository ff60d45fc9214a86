/**
 * SPF (RFC 7208): records parsed whole ({@link org.dmarcq.spf.SpfRecord}), evaluated with a trace of
 * the terms that decided ({@link org.dmarcq.spf.CheckHost}), over DNS answers from the network, a
 * zone file or a stored snapshot ({@link org.dmarcq.spf.SpfDns}).
 */
package org.dmarcq.spf;
