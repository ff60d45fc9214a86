package org.dmarcq.identity;

/** A source named by the {@link ServiceMap}, and the evidence: e.g. {@code DKIM d=em123.sendgrid.net}. */
public record Identification(Service service, String evidence) {}
