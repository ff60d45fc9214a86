package org.dmarcq.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where a mailbox is: {@code imaps://user@host[:port]/FOLDER} (implicit TLS, port 993) or
 * {@code imap://user@host[:port]/FOLDER} (STARTTLS, port 143). The folder is optional (the caller's
 * default applies); a password in the URL is refused, as it would sit in shell history and ps.
 */
public record MailboxUrl(boolean implicitTls, String user, String host, int port, String folder) {

    public static MailboxUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a mailbox URL (imaps://user@host[:port]/FOLDER): " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("imaps") && !scheme.equals("imap")) {
            throw new IllegalArgumentException("'" + text + "': expected imaps://user@host[:port]/FOLDER (or imap:// for STARTTLS)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "': no host in it; expected imaps://user@host[:port]/FOLDER");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': no user in it; expected imaps://user@host[:port]/FOLDER");
        }
        if (userInfo.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': a password in the URL is refused (it would show in ps and in"
                    + " shell history); give --password-file or --password-command");
        }
        boolean tls = scheme.equals("imaps");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String folder = path.length() > 1 ? URLDecoder.decode(path.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8) : null;
        return new MailboxUrl(tls, URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8),
                uri.getHost().toLowerCase(Locale.ROOT), uri.getPort() > 0 ? uri.getPort() : tls ? 993 : 143, folder);
    }

    /** The same mailbox with another folder. */
    public MailboxUrl withFolder(String f) {
        return new MailboxUrl(implicitTls, user, host, port, f);
    }

    /** The mailbox, without the folder: what checkpoints are kept under. */
    public String account() {
        return user + "@" + host + ":" + port;
    }

    /** As the URL is written: an {@code @} in the user name as {@code %40}. */
    @Override
    public String toString() {
        return (implicitTls ? "imaps://" : "imap://") + user.replace("%", "%25").replace("@", "%40") + "@" + host + ":" + port
                + (folder == null ? "" : "/" + folder);
    }
}
