package org.dmarcq.fetch;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.StoreClosedException;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.ENVELOPE;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * An IMAP mailbox, on Jakarta Mail (Eclipse Angus Mail). TLS is implicit ({@code imaps://}) or
 * required through STARTTLS ({@code imap://}); the server's certificate is checked against the
 * system's CAs, or only the given CA file, and must name the host. Plain text happens only when
 * asked for by name. Messages are read with raw {@code UID SEARCH} and {@code UID FETCH} commands
 * over a UID set (one round trip per batch, {@code BODY.PEEK} so that nothing is flagged).
 */
public final class ImapMailbox implements Mailbox {
    public enum Login { PASSWORD, XOAUTH2 }

    /**
     * How to reach and log in: the secret (password or OAuth2 access token) is asked for when
     * connecting, so a token command runs again on each reconnect.
     */
    public record Settings(MailboxUrl url, Login login, Supplier<String> secret, Path caFile, boolean insecureNoTls, Duration timeout) {
        public Settings {
            Objects.requireNonNull(url);
            Objects.requireNonNull(login);
            Objects.requireNonNull(secret);
            Objects.requireNonNull(timeout);
        }
    }

    /** UIDs per command: keeps command lines short however scattered the UIDs are. */
    private static final int UIDS_PER_COMMAND = 500;

    private final Settings settings;
    private final IMAPStore store;
    private IMAPFolder folder;
    private volatile boolean woken;
    private volatile CountDownLatch sleeping;

    private ImapMailbox(Settings settings, IMAPStore store) {
        this.settings = settings;
        this.store = store;
    }

    /** Connects and logs in. */
    public static ImapMailbox connect(Settings settings) {
        MailboxUrl url = settings.url();
        String protocol = url.implicitTls() ? "imaps" : "imap";
        String k = "mail." + protocol + ".";
        Properties p = new Properties();
        p.put("mail.store.protocol", protocol);
        p.put(k + "host", url.host());
        p.put(k + "port", String.valueOf(url.port()));
        String millis = String.valueOf(settings.timeout().toMillis());
        p.put(k + "connectiontimeout", millis);
        p.put(k + "timeout", millis);
        p.put(k + "peek", "true");
        p.put(k + "ssl.checkserveridentity", "true");
        // never retry with another socket factory after a failure: that hides why the first failed
        p.put(k + "socketFactory.fallback", "false");
        if (!url.implicitTls() && !settings.insecureNoTls()) {
            p.put(k + "starttls.enable", "true");
            p.put(k + "starttls.required", "true");
        }
        if (settings.caFile() != null) {
            p.put(k + "ssl.socketFactory", trusting(settings.caFile()).getSocketFactory());
        }
        if (settings.login() == Login.XOAUTH2) {
            p.put(k + "auth.mechanisms", "XOAUTH2");
        }
        try {
            IMAPStore store = (IMAPStore) Session.getInstance(p).getStore(protocol);
            String secret = settings.secret().get();
            store.connect(url.host(), url.port(), url.user(), secret);
            return new ImapMailbox(settings, store);
        } catch (MessagingException e) {
            throw failure(settings, "cannot log in", e);
        }
    }

    /** An SSL context trusting only the certificates of a PEM (or DER) file. */
    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + n++, c);
            }
            if (n == 0) {
                throw new FetchException("--ca-file " + caFile + ": no certificate in it (expected PEM)", false, null);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new FetchException("--ca-file " + caFile + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e.getMessage()), false, e);
        } catch (GeneralSecurityException e) {
            throw new FetchException("--ca-file " + caFile + ": not a certificate file (expected PEM): " + e.getMessage(), false, e);
        }
    }

    @Override
    public String account() {
        return settings.url().account();
    }

    @Override
    public long select(String name, boolean write) {
        closeFolder();
        try {
            IMAPFolder f = (IMAPFolder) store.getFolder(name);
            if (!f.exists()) {
                throw new FetchException(where(name) + ": no such folder" + folders(), false, null);
            }
            f.open(write ? Folder.READ_WRITE : Folder.READ_ONLY);
            folder = f;
            return f.getUIDValidity();
        } catch (MessagingException e) {
            throw failure(settings, where(name) + ": cannot open the folder", e);
        }
    }

    /** The account's folders, to name in an error: at most 20. */
    private String folders() {
        try {
            List<String> names = new ArrayList<>();
            for (Folder f : store.getDefaultFolder().list("*")) {
                if (names.size() == 20) {
                    names.add("...");
                    break;
                }
                names.add(f.getFullName());
            }
            return names.isEmpty() ? "" : " (its folders: " + String.join(", ", names) + ")";
        } catch (MessagingException e) {
            return "";
        }
    }

    private String where(String name) {
        return settings.url().withFolder(name).toString();
    }

    @Override
    public boolean exists(String name) {
        try {
            return store.getFolder(name).exists();
        } catch (MessagingException e) {
            throw failure(settings, where(name) + ": cannot look the folder up", e);
        }
    }

    @Override
    public void create(String name) {
        try {
            Folder f = store.getFolder(name);
            if (!f.exists() && !f.create(Folder.HOLDS_MESSAGES | Folder.HOLDS_FOLDERS) && !f.create(Folder.HOLDS_MESSAGES)) {
                throw new FetchException(where(name) + ": the server refused to create the folder", false, null);
            }
        } catch (MessagingException e) {
            throw failure(settings, where(name) + ": cannot create the folder", e);
        }
    }

    @Override
    public char separator() {
        try {
            return store.getDefaultFolder().getSeparator();
        } catch (MessagingException e) {
            throw failure(settings, "cannot ask for the folder separator", e);
        }
    }

    private static final DateTimeFormatter IMAP_DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ROOT);

    @Override
    public List<Long> uidsAfter(long after, LocalDate since) {
        String command = "UID SEARCH UID " + (after + 1) + ":*" + (since == null ? "" : " SINCE " + IMAP_DATE.format(since));
        List<Long> uids = new ArrayList<>();
        for (Response r : command(command, "SEARCH")) {
            IMAPResponse ir = (IMAPResponse) r;
            long uid;
            while ((uid = ir.readLong()) != -1) {
                if (uid > after) { // "n:*" always matches the last message, whatever its UID
                    uids.add(uid);
                }
            }
        }
        uids.sort(null);
        return uids;
    }

    @Override
    public List<Envelope> envelopes(List<Long> uids) {
        Map<Long, Envelope> found = new HashMap<>();
        for (List<Long> part : parts(uids)) {
            for (Response r : command("UID FETCH " + set(part) + " (UID RFC822.SIZE ENVELOPE)", "FETCH")) {
                FetchResponse f = (FetchResponse) r;
                UID uid = f.getItem(UID.class);
                if (uid == null) {
                    continue;
                }
                RFC822SIZE size = f.getItem(RFC822SIZE.class);
                ENVELOPE env = f.getItem(ENVELOPE.class);
                found.put(uid.uid, new Envelope(uid.uid, size == null ? -1 : size.size, env == null ? null : decoded(env.subject),
                        env == null ? null : env.messageId));
            }
        }
        return uids.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    private static String decoded(String subject) {
        if (subject == null) {
            return null;
        }
        try {
            return MimeUtility.decodeText(subject);
        } catch (IOException e) {
            return subject;
        }
    }

    @Override
    public List<Content> contents(List<Long> uids) {
        Map<Long, byte[]> found = new HashMap<>();
        for (List<Long> part : parts(uids)) {
            for (Response r : command("UID FETCH " + set(part) + " (UID BODY.PEEK[])", "FETCH")) {
                FetchResponse f = (FetchResponse) r;
                UID uid = f.getItem(UID.class);
                BODY body = f.getItem(BODY.class);
                if (uid != null && body != null && body.getByteArray() != null) {
                    found.put(uid.uid, body.getByteArray().getNewBytes());
                }
            }
        }
        List<Content> contents = new ArrayList<>();
        for (long uid : uids) {
            byte[] bytes = found.get(uid);
            if (bytes != null) {
                contents.add(new Content(uid, bytes));
            }
        }
        return contents;
    }

    /** Runs a command on the selected folder; returns its untagged responses of {@code kind}, passing the rest on. */
    private List<Response> command(String command, String kind) {
        IMAPFolder f = selected();
        try {
            Object result = f.doCommand(p -> {
                Response[] responses = p.command(command, null);
                List<Response> mine = new ArrayList<>();
                Response[] others = new Response[responses.length - 1];
                for (int i = 0; i < responses.length - 1; i++) {
                    Response r = responses[i];
                    if (r instanceof IMAPResponse ir && ir.keyEquals(kind) && (kind.equals("SEARCH") || r instanceof FetchResponse)) {
                        mine.add(r);
                    } else {
                        others[i] = r;
                    }
                }
                p.notifyResponseHandlers(others);
                p.handleResult(responses[responses.length - 1]);
                return mine;
            });
            @SuppressWarnings("unchecked")
            List<Response> mine = (List<Response>) result;
            return mine;
        } catch (MessagingException e) {
            throw failure(settings, where(f.getFullName()) + ": " + command.split(" ")[1].toLowerCase(Locale.ROOT) + " failed", e);
        }
    }

    /** Splits UIDs into parts of at most {@link #UIDS_PER_COMMAND}. */
    private static List<List<Long>> parts(List<Long> uids) {
        List<List<Long>> parts = new ArrayList<>();
        for (int i = 0; i < uids.size(); i += UIDS_PER_COMMAND) {
            parts.add(uids.subList(i, Math.min(uids.size(), i + UIDS_PER_COMMAND)));
        }
        return parts;
    }

    /** An IMAP sequence set of UIDs: runs of consecutive UIDs as ranges. */
    static String set(List<Long> uids) {
        long[] sorted = uids.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < sorted.length; i++) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            if (set.length() > 0) {
                set.append(',');
            }
            set.append(sorted[i]);
            if (j > i) {
                set.append(':').append(sorted[j]);
            }
            i = j;
        }
        return set.toString();
    }

    private Message[] messages(List<Long> uids) throws MessagingException {
        return Arrays.stream(selected().getMessagesByUID(uids.stream().mapToLong(Long::longValue).toArray()))
                .filter(Objects::nonNull).toArray(Message[]::new);
    }

    @Override
    public void move(List<Long> uids, String target) {
        if (uids.isEmpty()) {
            return;
        }
        IMAPFolder f = selected();
        try {
            Message[] messages = messages(uids);
            if (messages.length == 0) {
                return;
            }
            Folder to = store.getFolder(target);
            if (store.hasCapability("MOVE")) {
                f.moveMessages(messages, to);
            } else {
                f.copyMessages(messages, to);
                f.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
                if (store.hasCapability("UIDPLUS")) {
                    f.expunge(messages);
                }
            }
        } catch (MessagingException e) {
            throw failure(settings, where(f.getFullName()) + ": cannot move messages to " + target, e);
        }
    }

    @Override
    public void markSeen(List<Long> uids) {
        if (uids.isEmpty()) {
            return;
        }
        IMAPFolder f = selected();
        try {
            Message[] messages = messages(uids);
            if (messages.length > 0) {
                f.setFlags(messages, new Flags(Flags.Flag.SEEN), true);
            }
        } catch (MessagingException e) {
            throw failure(settings, where(f.getFullName()) + ": cannot flag messages \\Seen", e);
        }
    }

    /**
     * {@inheritDoc} An IDLE lasts at most half the network timeout: the connection's reads time out
     * meanwhile, and a quiet connection is how a dead one looks.
     */
    @Override
    public void await(Duration wanted) {
        Duration half = settings.timeout().dividedBy(2);
        Duration most = wanted.compareTo(half) > 0 ? half : wanted;
        IMAPFolder f = selected();
        if (woken) {
            woken = false;
            return;
        }
        try {
            if (store.hasCapability("IDLE")) {
                Thread timer = new Thread(() -> {
                    try {
                        Thread.sleep(most.toMillis());
                        wake();
                    } catch (InterruptedException done) {
                        // the wait ended first
                    }
                }, "dmarcq-idle-timer");
                timer.setDaemon(true);
                timer.start();
                try {
                    f.idle(true);
                } finally {
                    timer.interrupt();
                }
            } else {
                CountDownLatch latch = new CountDownLatch(1);
                sleeping = latch;
                try {
                    latch.await(most.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    sleeping = null;
                }
            }
        } catch (MessagingException e) {
            throw failure(settings, where(f.getFullName()) + ": waiting for new mail failed", e);
        } finally {
            woken = false;
        }
    }

    @Override
    public void wake() {
        woken = true;
        CountDownLatch latch = sleeping;
        if (latch != null) {
            latch.countDown();
        }
        IMAPFolder f = folder;
        if (f != null) {
            // any command on the folder ends an IDLE in progress
            try {
                f.doCommandIgnoreFailure(p -> {
                    p.simpleCommand("NOOP", null);
                    return null;
                });
            } catch (MessagingException | RuntimeException ignored) {
                // the connection is gone: the wait has ended anyway
            }
        }
    }

    private IMAPFolder selected() {
        if (folder == null) {
            throw new IllegalStateException("no folder selected");
        }
        return folder;
    }

    private void closeFolder() {
        if (folder != null) {
            try {
                if (folder.isOpen()) {
                    folder.close(false);
                }
            } catch (MessagingException ignored) {
                // closing is best effort: the next select opens anew
            }
            folder = null;
        }
    }

    @Override
    public void close() {
        closeFolder();
        try {
            store.close();
        } catch (MessagingException ignored) {
            // nothing left to do with it
        }
    }

    /** A failure in words: what was being done, on which server, and what to check. */
    static FetchException failure(Settings settings, String doing, MessagingException e) {
        MailboxUrl url = settings.url();
        String server = url.host() + ":" + url.port();
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
                break;
            }
        }
        String text = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof AuthenticationFailedException) {
            return new FetchException(server + ": login as " + url.user() + " refused: " + oneLine(text)
                    + (settings.login() == Login.XOAUTH2 ? " (is the token expired, or for another user or scope?)"
                    : " (check the password, or whether the server wants OAuth2: --oauth2-token-command)"), false, e);
        }
        if (text.contains("STARTTLS is required") || text.contains("STARTTLS required")) {
            return new FetchException(server + " offers no STARTTLS: refused, as the password would cross the network in clear;"
                    + " use imaps:// if the server has implicit TLS (port 993), or --insecure-no-tls to accept that", false, e);
        }
        if (text.contains("identity") || (root.getMessage() != null && root.getMessage().contains("No subject alternative"))) {
            return new FetchException(server + ": the server's certificate does not name " + url.host() + ": refused ("
                    + oneLine(root.getMessage()) + ")", false, e);
        }
        if (root instanceof SSLHandshakeException || root instanceof CertificateException
                || (root.getMessage() != null && root.getMessage().contains("PKIX"))) {
            String why = root instanceof java.security.cert.CertificateExpiredException ? "it has expired"
                    : root.getMessage() != null && root.getMessage().contains("PKIX")
                    ? "no CA " + (settings.caFile() == null ? "this machine trusts" : "in " + settings.caFile()) + " signed it"
                    : oneLine(root.getMessage());
            return new FetchException(server + ": the server's certificate is not trusted: refused (" + why + ")"
                    + (settings.caFile() == null ? "; for a private CA give --ca-file FILE" : ""), false, e);
        }
        if (root instanceof SSLException) {
            return new FetchException(server + ": TLS failed: " + oneLine(root.getMessage()) + " (is it a TLS port? imaps:// is 993,"
                    + " imap:// with STARTTLS 143)", false, e);
        }
        if (root instanceof java.net.SocketTimeoutException && !url.implicitTls() && doing.equals("cannot log in")) {
            return new FetchException(server + ": no IMAP greeting within " + settings.timeout().toSeconds() + " s: is it an imaps:// port"
                    + " (TLS from the start, usually 993)? imap:// expects plain IMAP and STARTTLS, usually on 143", false, e);
        }
        if (root instanceof UnknownHostException) {
            return new FetchException(url.host() + ": no such host", false, e);
        }
        if (root instanceof ConnectException) {
            return new FetchException(server + ": cannot connect: " + oneLine(root.getMessage()), true, e);
        }
        boolean dropped = e instanceof FolderClosedException || e instanceof StoreClosedException
                || root instanceof IOException || root instanceof ConnectionException
                || (root instanceof ProtocolException && text.contains("connection"));
        if (dropped) {
            return new FetchException(server + ": the connection was lost (" + doing.replace(server + ": ", "") + ")", true, e);
        }
        return new FetchException(server + ": " + doing + ": " + oneLine(text.isEmpty() ? String.valueOf(root) : text), false, e);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }
}
