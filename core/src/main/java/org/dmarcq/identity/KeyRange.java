package org.dmarcq.identity;

/**
 * An address range of a service or an inventory entry, as SQL compares them: the keys of its first
 * and last address in the form of the {@code ip_key} macro (docs/schema.md).
 *
 * @param owner the service's or the entry's name
 * @param index the entry's position in the inventory, from 1; 0 for a service
 */
public record KeyRange(String owner, int index, String cidr, String firstKey, String lastKey) {}
