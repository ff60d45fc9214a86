-- dmarcq schema version 5: macros that the analysis uses to name and recognise sources in SQL,
-- over all addresses at once. Documented in docs/schema.md.

-- The groups of an IPv6 address written in canonical form (RFC 5952): before and after its '::'.
CREATE MACRO ip6_head(ip) AS
    list_filter(string_split(CASE WHEN contains(ip, '::') THEN split_part(ip, '::', 1) ELSE ip END, ':'), g -> g <> '');
CREATE MACRO ip6_tail(ip) AS
    CASE WHEN contains(ip, '::') THEN list_filter(string_split(split_part(ip, '::', 2), ':'), g -> g <> '') ELSE [] END;

-- An address as a fixed-width hexadecimal key that sorts as the address does: '4' and 8 digits for
-- IPv4, '6' and 32 digits for IPv6, so an address range is every key from its first to its last.
-- Takes the canonical text of source_ip; NULL for anything else.
CREATE MACRO ip_key(ip) AS
    CASE WHEN ip IS NULL THEN NULL
         WHEN NOT contains(ip, ':') THEN
             '4' || list_aggr(list_transform(string_split(ip, '.'), x -> lpad(printf('%x', x::INTEGER), 2, '0')), 'string_agg', '')
         ELSE
             '6' || list_aggr(list_transform(ip6_head(ip)
                                             || list_transform(range(8 - len(ip6_head(ip)) - len(ip6_tail(ip))), x -> '0')
                                             || ip6_tail(ip), g -> lpad(g, 4, '0')), 'string_agg', '')
    END;

-- Whether a domain name is the given domain or one of its subdomains (names lowercase, no trailing dot).
CREATE MACRO domain_under(name, domain) AS
    coalesce(name = domain OR ends_with(name, '.' || domain), false);
