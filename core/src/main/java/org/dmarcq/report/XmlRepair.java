package org.dmarcq.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Last-resort repairs of reports that are not well-formed XML, for the faults the spec note lists
 * from real reporters: stray {@code xs:schema} tags (D3), unescaped {@code <} and {@code &} in
 * text such as {@code <joe@example.com>} (D16), and a closing tag missing its {@code <} (D16,
 * {@code 0/report_id>}). Used only after a strict parse failed, and always reported as a warning.
 */
final class XmlRepair {
    private static final String ELEMENTS = "feedback|version|report_metadata|org_name|email|extra_contact_info|report_id"
            + "|date_range|begin|end|error|generator|policy_published|domain|adkim|aspf|p|sp|np|pct|fo|testing"
            + "|discovery_method|record|row|source_ip|count|policy_evaluated|disposition|dkim|spf|reason|type|comment"
            + "|identifiers|identities|envelope_to|envelope_from|header_from|auth_results|selector|result|human_result|scope";

    private record Fix(String what, Pattern pattern, String replacement) {}

    private static final List<Fix> FIXES = List.of(
            new Fix("stray xs:schema tags removed", Pattern.compile("</?xs:schema\\b[^>]*>"), ""),
            new Fix("addresses in <...> escaped", Pattern.compile("<([^<>\\s/!?]*@[^<>\\s]*)>"), "&lt;$1&gt;"),
            new Fix("unescaped '<' escaped", Pattern.compile("<(?![A-Za-z_/?!])"), "&lt;"),
            new Fix("unescaped '&' escaped", Pattern.compile("&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)"), "&amp;"),
            new Fix("closing tags missing '<' restored", Pattern.compile("(?<=[^<\\s>])/(" + ELEMENTS + ")>"), "</$1>"));

    private XmlRepair() {}

    /** The repaired text and what was done, or null when no repair applies. */
    static Result repair(String xml) {
        String text = xml;
        List<String> done = new ArrayList<>();
        for (Fix fix : FIXES) {
            Matcher m = fix.pattern.matcher(text);
            int count = 0;
            StringBuilder sb = new StringBuilder(text.length() + 64);
            while (m.find()) {
                count++;
                m.appendReplacement(sb, fix.replacement);
            }
            if (count > 0) {
                m.appendTail(sb);
                text = sb.toString();
                done.add(fix.what + " (" + count + ")");
            }
        }
        return done.isEmpty() ? null : new Result(text, String.join(", ", done));
    }

    record Result(String text, String description) {}
}
