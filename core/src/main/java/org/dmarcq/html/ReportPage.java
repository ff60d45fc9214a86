package org.dmarcq.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import org.dmarcq.analysis.AffectedSystem;
import org.dmarcq.analysis.DomainSummary;
import org.dmarcq.analysis.Evidence;
import org.dmarcq.analysis.Overview;
import org.dmarcq.analysis.Precision;
import org.dmarcq.analysis.Readiness;
import org.dmarcq.analysis.SenderClass;
import org.dmarcq.analysis.SendingSystem;
import org.dmarcq.analysis.SpfInventory;
import org.dmarcq.analysis.TlsEnforcement;
import org.dmarcq.analysis.Wording;
import org.dmarcq.analysis.WhatIfResult;

/**
 * The report as one self-contained HTML page: the text is written here, in the page, so that it
 * reads without scripts and prints; the charts are drawn by uPlot (bundled, inlined) from the
 * numbers embedded as JSON, which are the same numbers the text and the tables show. Nothing is
 * fetched when the page is opened: its Content-Security-Policy allows only its own inline script
 * and style, by hash.
 */
public final class ReportPage {
    private ReportPage() {}

    /**
     * What the page says about itself.
     *
     * @param version the dmarcq version that wrote it
     * @param database the store it was made from, as the user named it
     */
    public record About(String version, Instant generated, String database) {}

    /** Owner pages written at most: beyond, the overview says how many were left out. */
    public static final int MAX_OWNER_PAGES = 200;

    /** Charts of a system's trend drawn at most per domain; the others show the trend in words. */
    static final int TREND_CHARTS = 20;

    /** Systems listed at most per table of a domain. */
    static final int ROWS = 50;

    /** Names of the pages written. */
    public record Written(Path overview, List<Path> ownerPages, int ownerPagesLeftOut) {}

    /**
     * Writes the overview to {@code file} and, when {@code ownerDir} is not null, one page per
     * system that needs action into it. Each file is written beside its place and moved there when
     * complete, so that an earlier report is replaced whole or not at all.
     */
    public static Written write(Overview overview, About about, Path file, Path ownerDir) throws IOException {
        Map<Overview.Action, String> links = new LinkedHashMap<>();
        List<Path> pages = new ArrayList<>();
        int leftOut = 0;
        writable(file.toAbsolutePath().getParent());
        if (ownerDir != null) {
            writable(ownerDir.toAbsolutePath());
            Set<String> names = new HashSet<>();
            Path overviewDir = file.toAbsolutePath().getParent();
            for (Overview.Domain d : overview.domains()) {
                for (Overview.Action a : d.actions()) {
                    if (!needsOwner(a)) {
                        continue;
                    }
                    if (pages.size() == MAX_OWNER_PAGES) {
                        leftOut++;
                        continue;
                    }
                    String name = unique(slug(d.policyDomain() + "-" + a.system().name()), names) + ".html";
                    Path page = ownerDir.resolve(name);
                    String back = link(page.toAbsolutePath().getParent(), file.toAbsolutePath());
                    writeAtomically(page, ownerPage(overview, d, a, about, back));
                    pages.add(page);
                    links.put(a, link(overviewDir, page.toAbsolutePath()));
                }
            }
        }
        writeAtomically(file, overview(overview, about, links, leftOut));
        if (ownerDir != null) {
            removeStale(ownerDir, pages);
        }
        return new Written(file, List.copyOf(pages), leftOut);
    }

    /**
     * Removes the owner pages an earlier run wrote into the folder that this run did not: a system
     * fixed since must not keep a page that says it is broken. Only files dmarcq marked as its owner
     * pages are touched; anything else in the folder stays.
     */
    private static void removeStale(Path dir, List<Path> written) throws IOException {
        Set<Path> keep = new HashSet<>();
        written.forEach(p -> keep.add(p.toAbsolutePath().normalize()));
        List<Path> candidates;
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            candidates = list.filter(p -> p.getFileName().toString().endsWith(".html") && Files.isRegularFile(p)
                    && !keep.contains(p.toAbsolutePath().normalize())).toList();
        }
        for (Path p : candidates) {
            String head;
            try (java.io.Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                char[] buffer = new char[600];
                int n = r.read(buffer);
                head = n <= 0 ? "" : new String(buffer, 0, n);
            } catch (java.nio.charset.MalformedInputException e) {
                continue;
            }
            if (head.contains(OWNER_PAGE)) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Whether a system gets a page for its owner: one of the owner's that is broken, or one to confirm. */
    static boolean needsOwner(Overview.Action a) {
        SenderClass c = a.system().senderClass();
        return c == SenderClass.UNVERIFIED || c == SenderClass.MISCONFIGURED && !"receiver-fail".equals(a.system().reason());
    }

    // ---- the overview ----

    static String overview(Overview o, About about, Map<Overview.Action, String> links, int leftOut) {
        Html h = new Html();
        String title = "DMARC report" + (o.scope().domain() != null ? ": " + o.scope().domain() : "");
        Body body = new Body();
        h.open("header").element("h1", title);
        h.open("p", "class", "lede").text(periodSentence(o)).close("p");
        if (o.domains().size() > 1) {
            h.open("nav", "aria-label", "Domains").open("ul");
            for (int i = 0; i < o.domains().size(); i++) {
                h.open("li").open("a", "href", "#domain-" + i).text(o.domains().get(i).policyDomain()).close("a").close("li");
            }
            h.close("ul").close("nav");
        }
        h.close("header").open("main");
        for (int i = 0; i < o.domains().size(); i++) {
            domain(h, o, i, links, body);
        }
        if (leftOut > 0) {
            h.open("p", "class", "note").text(String.format(Locale.ROOT, "%,d more systems need action than got a page of their own"
                    + " (at most %d are written): dmarcq whatif --format json lists them all.", leftOut, MAX_OWNER_PAGES)).close("p");
        }
        unknown(h, o);
        spf(h, o);
        tls(h, o);
        about(h, o, about);
        h.close("main");
        return document(title, h.toString(), data(o, about, body), false);
    }

    /** What the scripts draw from, collected while the text is written. */
    private static final class Body {
        final List<Object> domains = new ArrayList<>();
    }

    private static void domain(Html h, Overview o, int index, Map<Overview.Action, String> links, Body body) {
        Overview.Domain d = o.domains().get(index);
        Readiness r = d.readiness();
        String domain = d.policyDomain();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("policy_domain", domain);
        data.put("days", days(d).stream().map(LocalDate::toString).toList());
        body.domains.add(data);
        h.open("section", "id", "domain-" + index, "aria-labelledby", "domain-" + index + "-title");
        h.element("h2", domain, "id", "domain-" + index + "-title");
        if (r != null) {
            data.put("quarantine", r.quarantine().verdict());
            data.put("reject", r.reject().verdict());
            data.put("next_step", r.nextStep());
            h.open("p", "class", "verdict").text(domain + " (now p=" + (r.currentPolicy() == null ? "?" : r.currentPolicy()) + "): ")
                    .raw(badge(r.quarantine().verdict())).text(" for p=quarantine, ").raw(badge(r.reject().verdict()))
                    .text(" for p=reject.").close("p");
            h.open("p", "class", "next").element("strong", "Next step: ").text(r.nextStep()).close("p");
            List<String> because = new ArrayList<>(r.quarantine().because());
            for (String why : r.reject().because()) {
                if (!because.contains(why)) {
                    because.add("reject: " + why);
                }
            }
            if (!because.isEmpty()) {
                h.open("ul", "class", "because");
                because.forEach(why -> h.element("li", why));
                h.close("ul");
            }
            h.open("p").text(String.format(Locale.ROOT, "Evidence: %s of reports from %s; %s, %,d of them likely spoofing.",
                    Wording.count(r.days(), "day"), Wording.count(r.reporters().size(), "receiver"),
                    Wording.count(r.messages(), "message"), r.spoofedMessages())
                    + (r.passRate() == null ? "" : String.format(Locale.ROOT, " %.1f%% of the mail that is not spoofing passes DMARC.",
                    100 * r.passRate()))).close("p");
            passRate(h, index, r, o.thresholds(), data);
        }
        volume(h, index, d, data);
        actions(h, o, index, d, links, data);
        h.close("section");
    }

    /** A readiness verdict as a badge. */
    private static String badge(String verdict) {
        return badge(verdict, verdict.equals("ready") ? "ready" : verdict.startsWith("ready") ? "fix" : "not");
    }

    /** A verdict as a badge of a kind ({@code ready}, {@code fix}, {@code not}): a mark and the words, never colour alone. */
    private static String badge(String verdict, String kind) {
        String mark = kind.equals("ready") ? "✓" : kind.equals("fix") ? "!" : "✗";
        return "<span class=\"badge " + kind + "\"><span aria-hidden=\"true\">" + mark + "</span> " + Html.escape(verdict, 100)
                + "</span>";
    }

    private static void passRate(Html h, int index, Readiness r, Readiness.Thresholds t, Map<String, Object> data) {
        Map<String, Object> daily = new LinkedHashMap<>();
        r.dailyPassRate().forEach((day, rate) -> daily.put(day.toString(), Precision.rate(rate)));
        data.put("daily_pass_rate", daily);
        data.put("min_pass_rate", t.minPassRate());
        h.element("h3", "DMARC pass rate per day");
        if (daily.isEmpty()) {
            h.element("p", "No mail that is not spoofing in the period: no pass rate to show.", "class", "none");
            return;
        }
        double low = r.dailyPassRate().values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double high = r.dailyPassRate().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        LocalDate first = r.dailyPassRate().firstKey();
        LocalDate last = r.dailyPassRate().lastKey();
        String summary = String.format(Locale.ROOT, "Share of the mail that is not spoofing that passed DMARC, per UTC day, %s:"
                        + " lowest %.1f%%, highest %.1f%%; the dashed line is the %.0f%% that readiness asks for.",
                first.equals(last) ? "on " + first : "from " + first + " to " + last, 100 * low, 100 * high, 100 * t.minPassRate());
        h.open("figure", "class", "chart");
        h.open("div", "class", "plot", "data-chart", "pass", "data-domain", String.valueOf(index), "role", "img", "aria-label", summary)
                .close("div");
        h.element("figcaption", summary);
        h.open("details").element("summary", "The numbers").open("div", "class", "scroll").open("table")
                .open("thead").open("tr").element("th", "Day", "scope", "col").element("th", "Pass rate", "scope", "col")
                .close("tr").close("thead").open("tbody");
        r.dailyPassRate().forEach((day, rate) -> h.open("tr").element("th", day.toString(), "scope", "row", "class", "day")
                .element("td", String.format(Locale.ROOT, "%.2f%%", 100 * rate), "class", "num").close("tr"));
        h.close("tbody").close("table").close("div").close("details").close("figure");
    }

    private static void volume(Html h, int index, Overview.Domain d, Map<String, Object> data) {
        h.element("h3", "Messages per day by sending system");
        if (d.volume().isEmpty()) {
            h.element("p", "No messages in the period.", "class", "none");
            return;
        }
        TreeSet<LocalDate> days = new TreeSet<>();
        d.volume().forEach(s -> days.addAll(s.messages().keySet()));
        List<Object> series = new ArrayList<>();
        for (Overview.Series s : d.volume()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("system", s.name());
            m.put("group", s.name() != null ? "system" : s.spoofing() ? "spoofing" : "other");
            m.put("label", label(s));
            m.put("messages", Precision.tenths(s.total()));
            Map<String, Object> perDay = new LinkedHashMap<>();
            s.messages().forEach((day, n) -> perDay.put(day.toString(), Precision.tenths(n)));
            m.put("per_day", perDay);
            series.add(m);
        }
        data.put("volume", series);
        boolean spoofed = d.volume().stream().anyMatch(Overview.Series::spoofing);
        String summary = String.format(Locale.ROOT, "Messages per UTC day %s, stacked by sending system: %s.%s",
                days.first().equals(days.last()) ? "on " + days.first() : "from " + days.first() + " to " + days.last(),
                String.join(", ", d.volume().stream().map(s -> label(s) + " " + String.format(Locale.ROOT, "%,.0f", s.total())).toList()),
                spoofed ? " The likely spoofing is in the table, not in the chart, where it would dwarf your own mail." : "");
        h.open("figure", "class", "chart");
        h.open("div", "class", "plot", "data-chart", "volume", "data-domain", String.valueOf(index), "role", "img", "aria-label",
                summary).close("div");
        h.element("figcaption", summary);
        h.open("details").element("summary", "The numbers").open("div", "class", "scroll").open("table").open("thead").open("tr")
                .element("th", "Day", "scope", "col");
        d.volume().forEach(s -> h.element("th", label(s), "scope", "col"));
        h.close("tr").close("thead").open("tbody");
        for (LocalDate day : days) {
            h.open("tr").element("th", day.toString(), "scope", "row", "class", "day");
            for (Overview.Series s : d.volume()) {
                h.element("td", String.format(Locale.ROOT, "%,.0f", s.messages().getOrDefault(day, 0.0)), "class", "num");
            }
            h.close("tr");
        }
        h.close("tbody").close("table").close("div").close("details").close("figure");
    }

    private static String label(Overview.Series s) {
        return s.name() != null ? s.name() : s.spoofing() ? "likely spoofing" : "everything else";
    }

    private static void actions(Html h, Overview o, int index, Overview.Domain d, Map<Overview.Action, String> links,
                                Map<String, Object> data) {
        String policy = "p=" + o.proposal().p().word();
        String domain = d.policyDomain();
        List<Overview.Action> toFix = d.actions().stream().filter(a -> a.system().senderClass() == SenderClass.MISCONFIGURED
                && !"receiver-fail".equals(a.system().reason())).toList();
        List<Overview.Action> toConfirm = d.actions().stream().filter(a -> a.system().senderClass() == SenderClass.UNVERIFIED).toList();
        List<Overview.Action> forwarders = d.actions().stream().filter(a -> a.system().senderClass() == SenderClass.FORWARDER).toList();
        List<Overview.Action> receivers = d.actions().stream().filter(a -> a.system().senderClass() == SenderClass.MISCONFIGURED
                && "receiver-fail".equals(a.system().reason())).toList();
        List<LocalDate> days = days(d);
        List<Object> systems = new ArrayList<>();
        data.put("policy", o.proposal().p().word());
        data.put("systems", systems);

        h.element("h3", "What would break under " + policy);
        double affected = d.actions().stream().mapToDouble(a -> a.system().affected()).sum()
                + (d.spoofing() == null ? 0 : d.spoofing().affected());
        double fixable = toFix.stream().mapToDouble(a -> a.system().affected()).sum();
        double confirm = toConfirm.stream().mapToDouble(a -> a.system().affected()).sum();
        double forwardedMail = d.actions().stream().filter(a -> a.system().senderClass() == SenderClass.FORWARDER)
                .mapToDouble(a -> a.system().affected()).sum();
        data.put("affected", Precision.tenths(affected));
        h.element("p", String.format(Locale.ROOT, "Under %s receivers would %s about %,.0f messages of the period: %,.0f from"
                        + " systems tied to you, %,.0f from unverified systems, %,.0f through forwarders and lists, %,.0f likely"
                        + " spoofing.", policy, o.proposal().p().word().equals("reject") ? "reject or quarantine" : "quarantine",
                affected, fixable, confirm, forwardedMail, d.spoofing() == null ? 0 : d.spoofing().affected()));
        if (toFix.isEmpty()) {
            h.element("p", "None of the systems that evidence ties to you would have mail " + (o.proposal().p().word().equals("reject")
                    ? "rejected" : "quarantined") + ".", "class", "none");
        } else {
            h.element("p", Wording.count(toFix.size(), "sending system") + " that evidence ties to you would lose mail. Each is"
                    + " explained for the people who run it" + (links.isEmpty() ? "" : "; each also has a page of its own to send"
                    + " them") + ".");
        }
        int charts = 0;
        for (Overview.Action a : toFix) {
            systems.add(system(a, days));
            boolean chart = charts++ < TREND_CHARTS;
            action(h, o, index, systems.size() - 1, a, domain, days, links.get(a), chart);
        }
        h.element("h3", "Senders to confirm");
        if (toConfirm.isEmpty()) {
            h.element("p", "No unverified systems: every system whose mail fails is tied to you by evidence, or is a forwarder"
                    + " or spoofing.", "class", "none");
        } else {
            boolean one = toConfirm.size() == 1;
            h.element("p", Wording.count(toConfirm.size(), "system") + (one ? " sends" : " send") + " as " + domain
                    + " and " + (one ? "fails" : "fail") + " DMARC, steadily, in batches or through a service, but nothing a forger"
                    + " could not fake ties " + (one ? "it" : "them") + " to you: unverified. " + (one ? "Find" : "For each, find")
                    + " out whether a team uses it; if so, fix it as its entry says and add it to the"
                    + " inventory; if not, enforcement blocks it, as it should.");
            int shown = 0;
            for (Overview.Action a : toConfirm) {
                systems.add(system(a, days));
                if (shown++ < ROWS) {
                    action(h, o, index, systems.size() - 1, a, domain, days, links.get(a), charts++ < TREND_CHARTS);
                }
            }
            if (toConfirm.size() > ROWS) {
                h.element("p", String.format(Locale.ROOT, "And %,d more (dmarcq whatif --policy %s --domain %s lists them all)%s",
                        toConfirm.size() - ROWS, o.proposal().p().word(), domain, links.isEmpty() ? "." : "; their pages:"),
                        "class", "note");
                List<Overview.Action> rest = toConfirm.subList(ROWS, toConfirm.size()).stream().filter(links::containsKey).toList();
                if (!rest.isEmpty()) {
                    h.open("ul", "class", "pages");
                    for (Overview.Action a : rest) {
                        h.open("li").open("a", "href", links.get(a)).text(a.system().name()).close("a").close("li");
                    }
                    h.close("ul");
                }
            }
        }
        h.element("h3", "Forwarders and mailing lists");
        double forwarded = forwarders.stream().mapToDouble(a -> a.system().affected()).sum();
        if (forwarders.isEmpty()) {
            h.element("p", "No mail through forwarders or mailing lists failed DMARC.", "class", "none");
        } else {
            h.element("p", String.format(Locale.ROOT, "When someone forwards your mail, or a mailing list resends it, it arrives from"
                    + " a server that is not yours, and changes on the way can break its signature: DMARC then fails although you did"
                    + " nothing wrong (%,.0f messages from %s here). Receivers absorb much of it with their own rules and ARC, so"
                    + " this does not block quarantine; under reject, the part they do not absorb bounces, so watch it first.",
                    forwarded, Wording.count(forwarders.size(), "forwarder or list", "forwarders and lists")));
            for (Overview.Action a : forwarders) {
                systems.add(system(a, days));
            }
            table(h, forwarders);
        }
        if (!receivers.isEmpty()) {
            h.element("h3", "Failing only at receivers");
            h.element("p", "These systems' mail aligns by what the receivers themselves report, yet they count it as failing"
                    + " (a different public suffix list, or a local rule): nothing to fix at the source.");
            for (Overview.Action a : receivers) {
                systems.add(system(a, days));
            }
            table(h, receivers);
        }
        h.element("h3", "Spoofing");
        WhatIfResult.Spoofing s = d.spoofing();
        if (s == null) {
            h.element("p", "No mail looks spoofed: every failing source is classed above.", "class", "none");
        } else {
            Map<String, Object> sp = new LinkedHashMap<>();
            sp.put("sources", s.sources());
            sp.put("failing_messages", s.failingMessages());
            sp.put("messages", Precision.tenths(s.affected()));
            data.put("spoofing", sp);
            List<String> largest = s.largest().stream().map(l -> l.sourceIp() + String.format(Locale.ROOT, " (%,d)", l.failingMessages()))
                    .toList();
            h.element("p", String.format(Locale.ROOT, "%,d failing messages from %s look like forgeries of %s: no SPF or DKIM pass"
                    + " for it, scattered, or marked not yours. Under %s receivers would %s about %,.0f of them; that is what the"
                    + " policy is for. The largest sources: %s.", s.failingMessages(), Wording.count(s.sources(), "source"), domain,
                    policy, o.proposal().p().word().equals("reject") ? "reject" : "quarantine", s.affected(), String.join(", ", largest)));
        }
    }

    private static List<LocalDate> days(Overview.Domain d) {
        TreeSet<LocalDate> days = new TreeSet<>();
        d.volume().forEach(s -> days.addAll(s.messages().keySet()));
        return List.copyOf(days);
    }

    /** A system in the embedded data: the fields of {@code whatif --format json}'s systems that the page shows. */
    private static Map<String, Object> system(Overview.Action a, List<LocalDate> days) {
        AffectedSystem s = a.system();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sending_system", s.name());
        m.put("class", s.senderClass().word());
        m.put("inventory", s.inventory());
        m.put("owner", a.owner());
        m.put("addresses", s.ips().size());
        m.put("failing_messages", s.failingMessages());
        m.put("messages", Precision.tenths(s.affected()));
        m.put("messages_per_sending_day", Precision.tenths(s.messagesPerSendingDay()));
        m.put("reason", s.reason());
        m.put("trend", OwnerWords.trend(a.perDay(), days));
        Map<String, Object> perDay = new LinkedHashMap<>();
        a.perDay().forEach((day, n) -> perDay.put(day.toString(), Precision.tenths(n)));
        m.put("per_day", perDay);
        return m;
    }

    private static void action(Html h, Overview o, int domainIndex, int systemIndex, Overview.Action a, String domain,
                               List<LocalDate> days, String link, boolean chart) {
        AffectedSystem s = a.system();
        h.open("article", "class", "system");
        h.open("h4").text(s.name());
        if (s.inventory() != null && !s.inventory().equals(s.name())) {
            h.text(" (inventory: " + s.inventory() + ")");
        }
        h.close("h4");
        if (a.owner() != null) {
            h.element("p", "Owner: " + a.owner(), "class", "owner");
        }
        h.element("p", OwnerWords.problem(a, domain, days.size()));
        h.element("p", OwnerWords.consequence(a, o.proposal(), domain));
        h.open("p").element("strong", "What to do: ").text(OwnerWords.ask(a, domain)).close("p");
        h.open("p", "class", "facts").text(String.format(Locale.ROOT, "%s from %s on %s; trend: %s.",
                Wording.count(s.failingMessages(), "failing message"), Wording.count(s.ips().size(), "address", "addresses"),
                Wording.count(s.sendingDays(), "day"), OwnerWords.trend(a.perDay(), days)));
        if (link != null) {
            h.text(" ").open("a", "href", link, "class", "owner-page").text("Page for its owner").close("a");
        }
        h.close("p");
        if (chart && !a.perDay().isEmpty()) {
            String summary = "Messages of " + s.name() + " that " + o.proposal().p().word() + " would affect, per UTC day: "
                    + OwnerWords.trend(a.perDay(), days) + ".";
            h.open("div", "class", "plot small", "data-chart", "trend", "data-domain", String.valueOf(domainIndex), "data-system",
                    String.valueOf(systemIndex), "role", "img", "aria-label", summary).close("div");
        }
        h.open("details").element("summary", "For the mail administrator: the fix and the evidence");
        h.open("p").element("strong", "Fix: ").text(s.fix()).close("p");
        h.open("ul");
        for (Evidence e : s.evidence()) {
            h.open("li").text(e.kind().word() + ": " + e.detail()).close("li");
        }
        h.element("li", "addresses: " + String.join(", ", s.ips().subList(0, Math.min(10, s.ips().size())))
                + (s.ips().size() > 10 ? " and " + (s.ips().size() - 10) + " more" : ""));
        h.close("ul").close("details");
        h.close("article");
    }

    private static void table(Html h, List<Overview.Action> actions) {
        h.open("div", "class", "scroll").open("table").open("thead").open("tr").element("th", "System", "scope", "col")
                .element("th", "Addresses", "scope", "col").element("th", "Failing messages", "scope", "col")
                .element("th", "Days", "scope", "col").close("tr").close("thead").open("tbody");
        int shown = 0;
        for (Overview.Action a : actions) {
            if (shown++ == ROWS) {
                break;
            }
            AffectedSystem s = a.system();
            h.open("tr").element("th", s.name(), "scope", "row").element("td", String.valueOf(s.ips().size()), "class", "num")
                    .element("td", String.format(Locale.ROOT, "%,d", s.failingMessages()), "class", "num")
                    .element("td", String.valueOf(s.sendingDays()), "class", "num").close("tr");
        }
        h.close("tbody").close("table").close("div");
        if (actions.size() > ROWS) {
            h.element("p", String.format(Locale.ROOT, "And %,d more.", actions.size() - ROWS), "class", "note");
        }
    }

    private static void unknown(Html h, Overview o) {
        h.open("section", "id", "unknown", "aria-labelledby", "unknown-title");
        h.element("h2", "Sending systems your inventory does not know", "id", "unknown-title");
        if (!o.inventoryKept()) {
            h.element("p", "There is no inventory of your sending systems yet, so every system is unknown. Draft one with"
                    + " dmarcq inventory suggest, review it, and keep it beside the database.", "class", "note");
        }
        if (o.unknown().isEmpty()) {
            h.element("p", "None: every system that sends as your domains, spoofing aside, is in the inventory.", "class", "none");
        } else {
            h.open("div", "class", "scroll").open("table").open("thead").open("tr").element("th", "System", "scope", "col")
                    .element("th", "Class", "scope", "col").element("th", "Messages", "scope", "col")
                    .element("th", "Pass DMARC", "scope", "col").element("th", "First seen", "scope", "col")
                    .close("tr").close("thead").open("tbody");
            for (SendingSystem s : o.unknown()) {
                h.open("tr").element("th", s.name(), "scope", "row").element("td", s.senderClass().label())
                        .element("td", String.format(Locale.ROOT, "%,d", s.messages()), "class", "num")
                        .element("td", s.messages() == 0 ? "" : String.format(Locale.ROOT, "%.1f%%", 100.0 * s.dmarcPass() / s.messages()),
                                "class", "num")
                        .element("td", s.firstSeen() == null ? "" : s.firstSeen().atZone(ZoneOffset.UTC).toLocalDate().toString())
                        .close("tr");
            }
            h.close("tbody").close("table").close("div");
            if (o.unknownTotal() > o.unknown().size()) {
                h.element("p", String.format(Locale.ROOT, "And %,d more (dmarcq unknown lists them all).",
                        o.unknownTotal() - o.unknown().size()), "class", "note");
            }
        }
        h.close("section");
    }

    private static void spf(Html h, Overview o) {
        h.open("section", "id", "spf", "aria-labelledby", "spf-title");
        h.element("h2", "SPF records", "id", "spf-title");
        if (o.spf() == null) {
            h.element("p", "No SPF records in the database yet: dmarcq spf looks them up and keeps them, and the next report shows"
                    + " which of their terms still carry mail.", "class", "none");
            h.close("section");
            return;
        }
        h.element("p", "From " + o.spfSource() + ".");
        for (SpfInventory.Domain d : o.spf()) {
            h.element("h3", d.audit().domain());
            h.open("p", "class", "verdict").raw(badge(d.audit().verdict().word(), switch (d.audit().verdict()) {
                case VALID -> "ready";
                case VALID_NEAR_LIMIT -> "fix";
                default -> "not";
            })).text(" " + (d.audit().reason() == null ? "" : d.audit().reason())).close("p");
            if (d.audit().record() != null) {
                h.open("p").element("code", d.audit().record()).close("p");
            }
            if (d.terms().isEmpty()) {
                continue;
            }
            h.open("div", "class", "scroll").open("table").open("thead").open("tr").element("th", "Term", "scope", "col")
                    .element("th", "Status", "scope", "col").element("th", "Messages", "scope", "col")
                    .element("th", "Sources", "scope", "col").element("th", "Systems", "scope", "col")
                    .close("tr").close("thead").open("tbody");
            for (SpfInventory.Term t : d.terms()) {
                h.open("tr").open("th", "scope", "row").element("code", t.term()).close("th").element("td", t.status())
                        .element("td", String.format(Locale.ROOT, "%,d", t.messages()), "class", "num")
                        .element("td", String.format(Locale.ROOT, "%,d", t.sources()), "class", "num")
                        .element("td", String.join(", ", t.names().subList(0, Math.min(5, t.names().size()))))
                        .close("tr");
            }
            h.close("tbody").close("table").close("div");
            List<String> removable = SpfInventory.removable(d);
            if (!removable.isEmpty()) {
                h.element("p", "Carried no mail in the period, or repeats another range: " + String.join(" ", removable)
                        + ". Check with dmarcq spf whatif --remove before removing any.");
            }
            if (d.unmatchedSources() > 0) {
                h.element("p", String.format(Locale.ROOT, "%,d sources (%,d messages) sent with %s as their bounce domain from"
                        + " addresses no term authorises.", d.unmatchedSources(), d.unmatchedMessages(), d.audit().domain()));
            }
        }
        h.close("section");
    }

    private static void tls(Html h, Overview o) {
        h.open("section", "id", "tls", "aria-labelledby", "tls-title");
        h.element("h2", "MTA-STS and TLS reports", "id", "tls-title");
        if (o.tls().isEmpty()) {
            h.element("p", "No SMTP TLS reports in the database: nothing to say about MTA-STS.", "class", "none");
            h.close("section");
            return;
        }
        for (TlsEnforcement t : o.tls()) {
            h.element("h3", t.policyDomain());
            String kind = t.verdict().equals("safe") || t.verdict().equals("already enforced") ? "ready"
                    : t.verdict().equals("not safe") ? "not" : "fix";
            h.open("p", "class", "verdict").raw(badge(t.verdict(), kind)).text(" ")
                    .text(Character.toUpperCase(t.sentence().charAt(0)) + t.sentence().substring(1) + String.format(Locale.ROOT,
                            " (%s of reports from %s; %,d sessions in testing mode, %,d failed, %,d would not have been delivered"
                                    + " under enforce).", Wording.count(t.days(), "day"), Wording.count(t.reporters().size(), "receiver"),
                            t.testingSessions(), t.failedInTesting(), t.wouldFail())).close("p");
            if (!t.because().isEmpty()) {
                h.open("ul", "class", "because");
                t.because().forEach(b -> h.element("li", b));
                h.close("ul");
            }
            if (!t.causes().isEmpty()) {
                h.open("div", "class", "scroll").open("table").open("thead").open("tr").element("th", "Cause", "scope", "col")
                        .element("th", "Sessions", "scope", "col").element("th", "Seen", "scope", "col")
                        .element("th", "Fix", "scope", "col").close("tr").close("thead").open("tbody");
                for (TlsEnforcement.Cause c : t.causes()) {
                    h.open("tr").element("th", c.label() + (c.resolved() ? " (resolved)" : ""), "scope", "row")
                            .element("td", String.format(Locale.ROOT, "%,d", c.sessions()), "class", "num")
                            .element("td", c.firstDay() == null ? "" : c.firstDay().equals(c.lastDay()) ? c.firstDay().toString()
                                    : c.firstDay() + " to " + c.lastDay(), "class", "day")
                            .element("td", c.fix()).close("tr");
                }
                h.close("tbody").close("table").close("div");
            }
        }
        h.close("section");
    }

    private static void about(Html h, Overview o, About about) {
        Overview.Period p = o.period();
        h.open("section", "id", "about", "aria-labelledby", "about-title");
        h.element("h2", "What this report rests on", "id", "about-title");
        h.open("dl", "class", "about");
        h.element("dt", "Period").element("dd", period(p) + (o.scope().since() != null || o.scope().until() != null
                ? " (asked: " + (o.scope().since() == null ? "…" : o.scope().since()) + " to "
                + (o.scope().until() == null ? "…" : o.scope().until()) + ")" : ""));
        h.element("dt", "Data").element("dd", String.format(Locale.ROOT, "%,d aggregate reports, %,d records, %,d messages",
                p.reports(), p.records(), p.messages()));
        h.element("dt", "Reporters").element("dd", p.reporters().size() + ": " + String.join(", ",
                p.reporters().subList(0, Math.min(30, p.reporters().size()))) + (p.reporters().size() > 30 ? " and "
                + (p.reporters().size() - 30) + " more" : ""));
        h.open("dt").text("Domains").close("dt").open("dd");
        List<String> domains = new ArrayList<>();
        for (DomainSummary s : o.summaries()) {
            domains.add(s.policyDomain() + " (p=" + (s.p() == null ? "?" : s.p()) + String.format(Locale.ROOT, ", %,d reports)", s.reports()));
        }
        h.text(String.join("; ", domains)).close("dd");
        Readiness.Thresholds t = o.thresholds();
        h.element("dt", "Readiness asks for").element("dd", String.format(Locale.ROOT, "%d days of reports from %d receivers, %.0f%%"
                + " of the mail that is not spoofing passing, at most %.0f%% failing from unverified systems, and for reject at"
                + " most %.0f%% through forwarders", t.minDays(), t.minReporters(), 100 * t.minPassRate(), 100 * t.maxUnverifiedShare(),
                100 * t.maxForwardedShare()));
        h.element("dt", "Proposed policy").element("dd", "p=" + o.proposal().p().word());
        h.element("dt", "Made by").element("dd", "dmarcq " + about.version() + " on " + DateTimeFormatter.ISO_INSTANT.format(
                about.generated().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).replace('T', ' ').replace("Z", " UTC")
                + " from " + about.database());
        h.close("dl");
        h.element("p", "Every figure here comes from the receivers' aggregate reports, which count messages, not people: a"
                + " receiver that does not send reports is not in them. dmarcq recomputes DMARC alignment from what the reports say.",
                "class", "note");
        h.close("section");
    }

    private static String periodSentence(Overview o) {
        Overview.Period p = o.period();
        if (p.reports() == 0) {
            return "No DMARC aggregate reports" + (o.tls().isEmpty() ? "." : "; the SMTP TLS reports are below.");
        }
        return String.format(Locale.ROOT, "%s: %,d reports from %s about %s, %,d messages.", period(p), p.reports(),
                Wording.count(p.reporters().size(), "receiver"), Wording.count(o.domains().size(), "domain"), p.messages());
    }

    private static String period(Overview.Period p) {
        if (p.firstBegin() == null) {
            return "No reports";
        }
        return p.firstBegin().atZone(ZoneOffset.UTC).toLocalDate() + " to " + p.lastEnd().minusSeconds(1).atZone(ZoneOffset.UTC).toLocalDate()
                + " (UTC)";
    }

    // ---- the owner's page ----

    static String ownerPage(Overview o, Overview.Domain d, Overview.Action a, About about, String back) {
        AffectedSystem s = a.system();
        String domain = d.policyDomain();
        List<LocalDate> days = days(d);
        Html h = new Html();
        String title = s.name() + " and mail as " + domain;
        h.open("header").element("h1", title);
        h.element("p", a.owner() != null ? "For: " + a.owner() : s.senderClass() == SenderClass.UNVERIFIED
                ? "For: whoever at " + domain + " uses " + OwnerWords.tool(s) + ", if anyone does"
                : "For: the team that uses " + OwnerWords.tool(s), "class", "lede");
        h.close("header").open("main");
        h.element("p", "The mail administrators of " + domain + " are about to tell receivers to trust only mail that proves it"
                + " comes from " + domain + " (DMARC, p=" + o.proposal().p().word() + "). Mail sent as " + domain + " by "
                + s.name() + " does not prove it yet.");
        h.element("h2", "What happens");
        h.element("p", OwnerWords.problem(a, domain, days.size()));
        h.element("p", OwnerWords.consequence(a, o.proposal(), domain));
        h.element("h2", "What to do");
        h.element("p", OwnerWords.ask(a, domain));
        h.element("p", "When it is done, tell the mail administrators: the reports show the change within a day or two.");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("policy_domain", domain);
        data.put("days", days.stream().map(LocalDate::toString).toList());
        List<Object> systems = new ArrayList<>();
        systems.add(system(a, days));
        data.put("systems", systems);
        h.element("h2", "The numbers");
        h.element("p", String.format(Locale.ROOT, "%s failing DMARC from %s on %s, %s; trend: %s.",
                Wording.count(s.failingMessages(), "message"), Wording.count(s.ips().size(), "address", "addresses"),
                Wording.count(s.sendingDays(), "day"), o.period().firstBegin() == null ? "" : "in " + period(o.period()),
                OwnerWords.trend(a.perDay(), days)));
        if (!a.perDay().isEmpty()) {
            String summary = "Messages per UTC day that p=" + o.proposal().p().word() + " would affect: "
                    + OwnerWords.trend(a.perDay(), days) + ".";
            h.open("figure", "class", "chart").open("div", "class", "plot", "data-chart", "trend", "data-domain", "0", "data-system", "0",
                    "role", "img", "aria-label", summary).close("div").element("figcaption", summary);
            h.open("details").element("summary", "The numbers").open("div", "class", "scroll").open("table").open("thead")
                    .open("tr").element("th", "Day", "scope", "col").element("th", "Messages", "scope", "col").close("tr")
                    .close("thead").open("tbody");
            a.perDay().forEach((day, n) -> h.open("tr").element("th", day.toString(), "scope", "row", "class", "day")
                    .element("td", String.format(Locale.ROOT, "%,.0f", n), "class", "num").close("tr"));
            h.close("tbody").close("table").close("div").close("details").close("figure");
        }
        h.open("details").element("summary", "For the mail administrator: the fix and the evidence");
        h.open("p").element("strong", "Fix: ").text(s.fix()).close("p").open("ul");
        for (Evidence e : s.evidence()) {
            h.element("li", e.kind().word() + ": " + e.detail());
        }
        h.close("ul").close("details");
        h.open("p", "class", "note").text("Made by dmarcq " + about.version() + " from the DMARC aggregate reports of "
                + period(o.period()) + ". ").open("a", "href", back).text("The whole report").close("a").close("p");
        h.close("main");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dmarcq_version", about.version());
        root.put("policy", o.proposal().p().word());
        root.put("domains", List.of(data));
        return document(title, h.toString(), json(root), true);
    }

    // ---- the document ----

    private static String data(Overview o, About about, Body body) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dmarcq_version", about.version());
        root.put("generated", about.generated().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        root.put("policy", o.proposal().p().word());
        root.put("domains", body.domains);
        return json(root);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** JSON to sit in a script element: {@code <}, {@code >} and {@code &} only ever occur inside its strings, as escapes. */
    static String json(Object value) {
        try {
            // and the controls of text direction, which the charts' labels would obey, as U+FFFD (as in the text)
            return JSON.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                    .replaceAll("[\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c]", "\\\\ufffd");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What marks a page as an owner page written by dmarcq: those a later run may replace or remove. */
    static final String OWNER_PAGE = "<meta name=\"generator\" content=\"dmarcq owner page\">";

    private static String document(String title, String body, String data, boolean ownerPage) {
        String style = asset("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css") + "\n" + asset("org/dmarcq/html/report.css");
        String script = asset("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js") + "\n" + asset("org/dmarcq/html/report.js");
        String csp = "default-src 'none'; script-src '" + sha256(script) + "'; style-src '" + sha256(style)
                + "'; img-src data:; base-uri 'none'; form-action 'none'";
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp + "\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + (ownerPage ? OWNER_PAGE : "<meta name=\"generator\" content=\"dmarcq\">") + "\n"
                + "<title>" + Html.escape(title, 200) + "</title>\n<style>" + style + "</style>\n</head>\n<body>\n" + body
                + "\n<script type=\"application/json\" id=\"dmarcq-data\">" + data + "</script>\n<script>" + script
                + "</script>\n</body>\n</html>\n";
    }

    private static final Map<String, String> ASSETS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String asset(String name) {
        return ASSETS.computeIfAbsent(name, n -> {
            try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(n)) {
                if (in == null) {
                    throw new IllegalStateException("missing from the build: " + n);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String sha256(String text) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- files ----

    /** A file name from a system's name: names come from reports, so nothing but letters, digits, dots and dashes. */
    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("\\.{2,}", ".")
                .replaceAll("^[-.]+|[-.]+$", "");
        if (s.length() > 80) {
            s = s.substring(0, 80).replaceAll("[-.]+$", "");
        }
        return s.isEmpty() ? "system" : s;
    }

    private static String unique(String slug, Set<String> taken) {
        String name = slug;
        for (int n = 2; !taken.add(name); n++) {
            name = slug + "-" + n;
        }
        return name;
    }

    /** A relative link from a folder to a file, its segments percent-encoded. */
    static String link(Path fromDir, Path to) {
        Path relative = fromDir.relativize(to);
        List<String> parts = new ArrayList<>();
        for (Path part : relative) {
            parts.add(java.net.URLEncoder.encode(part.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", parts);
    }

    /** Makes a folder as needed and checks that files can be made in it: before anything is written. */
    private static void writable(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException(dir + ": cannot make the folder (" + reason(e) + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException(dir + ": cannot write in this folder (permission denied)");
        }
    }

    /** What went wrong with a file, in words. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such folder";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        try {
            writeWhole(file, content);
        } catch (IOException e) {
            throw new IOException(file + ": cannot write it (" + reason(e) + ")", e);
        }
    }

    private static void writeWhole(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // not createTempFile, whose file only its owner may read: a report is made to be shared
        Path temp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".part");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
