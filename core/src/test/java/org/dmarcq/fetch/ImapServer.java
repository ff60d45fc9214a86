package org.dmarcq.fetch;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * A real IMAP server in the test JVM (GreenMail): IMAPS with a certificate for {@code localhost}
 * made by the JDK's keytool (its PEM is {@link #CA}), plain IMAP beside it, one user whose
 * password is also the OAuth2 token GreenMail accepts for it.
 */
public final class ImapServer implements AutoCloseable {
    public static final String USER = "rua@example.com";
    public static final String PASSWORD = "s3cret-token";
    /** The certificate the IMAPS port presents, to give as --ca-file. */
    public static final Path CA;

    static {
        try {
            Path dir = Files.createTempDirectory("dmarcq-imap-tls");
            Path keystore = dir.resolve("server.p12");
            CA = dir.resolve("ca.pem");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(keytool, "-genkeypair", "-alias", "greenmail", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", "changeit", "-keypass", "changeit");
            run(keytool, "-exportcert", "-rfc", "-alias", "greenmail", "-keystore", keystore.toString(), "-storepass", "changeit",
                    "-file", CA.toString());
            System.setProperty("greenmail.tls.keystore.file", keystore.toString());
            System.setProperty("greenmail.tls.keystore.password", "changeit");
            System.setProperty("greenmail.tls.key.password", "changeit");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public static final Path REPORTS = Path.of("testdata/reports");
    public static final Path TLS = Path.of("testdata/tls");
    public static final Path BROKEN = Path.of("testdata/broken");

    /**
     * The repository's fixtures as real messages: gzip, zip, XML, TLS-RPT, an .eml as it came, two
     * reports in one, one broken (UID 7): seven messages, seven DMARC reports and one TLS report.
     */
    public void fill(String folder) throws java.io.IOException {
        deliverAttachments(folder, "Report domain: example.com Submitter: google.com gzip", REPORTS.resolve("google.xml.gz"));
        deliverAttachments(folder, "Report domain: example.com zip", REPORTS.resolve("two-members.zip"));
        deliverAttachments(folder, "Report domain: example.com xml", REPORTS.resolve("gmx-dmarc2-namespace.xml"));
        deliverAttachments(folder, "Report Domain: example.com TLS", TLS.resolve("rfc8460-example.json"));
        deliver(folder, Files.readAllBytes(REPORTS.resolve("xml-quoted-printable.eml")));
        deliverAttachments(folder, "two reports", REPORTS.resolve("identities.xml"), REPORTS.resolve("rfc9990.xml"));
        deliverAttachments(folder, "broken", BROKEN.resolve("cut-off.xml"));
    }

    private final GreenMail mail;
    private final GreenMailUser user;

    public ImapServer() {
        mail = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS).dynamicPort(),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort()});
        mail.start();
        user = mail.setUser(USER, USER, PASSWORD);
    }

    public int imapsPort() {
        return mail.getImaps().getPort();
    }

    public int imapPort() {
        return mail.getImap().getPort();
    }

    /** {@code imaps://rua%40example.com@localhost:PORT/FOLDER}. */
    public String url(String folder) {
        return "imaps://rua%40example.com@localhost:" + imapsPort() + "/" + folder;
    }

    private ImapHostManager hosts() {
        return mail.getManagers().getImapHostManager();
    }

    /** The folder, created when missing ({@code INBOX} is the inbox). */
    public MailFolder folder(String name) {
        try {
            if (name.equalsIgnoreCase("INBOX")) {
                return hosts().getInbox(user);
            }
            MailFolder f = hosts().getFolder(user, name);
            return f != null ? f : hosts().createMailbox(user, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the folder and makes it anew: its messages get new UIDs under a new UIDVALIDITY. */
    public void recreate(String name) {
        try {
            MailFolder f = folder(name);
            List<byte[]> messages = new ArrayList<>();
            for (var m : f.getMessages()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                m.getMimeMessage().writeTo(out);
                messages.add(out.toByteArray());
            }
            hosts().deleteMailbox(user, name);
            MailFolder again = hosts().createMailbox(user, name);
            for (byte[] m : messages) {
                again.appendMessage(parse(m), new Flags(), new Date());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts a whole message (RFC 5322 bytes) into the folder. */
    public void deliver(String folder, byte[] message) {
        folder(folder).appendMessage(parse(message), new Flags(), new Date());
    }

    /** Delivers a message with the files attached, each as application/octet-stream under its own name. */
    public void deliverAttachments(String folder, String subject, Path... files) {
        deliverAttachments(folder, new Date(), subject, files);
    }

    /** As {@link #deliverAttachments(String, String, Path...)}, received on {@code received}. */
    public void deliverAttachments(String folder, Date received, String subject, Path... files) {
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
            m.setFrom("noreply-dmarc-support@google.com");
            m.setRecipients(jakarta.mail.Message.RecipientType.TO, USER);
            m.setSubject(subject);
            MimeMultipart multipart = new MimeMultipart();
            MimeBodyPart text = new MimeBodyPart();
            text.setText("This is an aggregate report.");
            multipart.addBodyPart(text);
            for (Path file : files) {
                MimeBodyPart part = new MimeBodyPart();
                part.setContent(Files.readAllBytes(file), "application/octet-stream");
                part.setFileName(file.getFileName().toString());
                multipart.addBodyPart(part);
            }
            m.setContent(multipart);
            m.saveChanges();
            folder(folder).appendMessage(m, new Flags(), received);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivers {@code n} messages, each with its own small report ({@code id-0}, {@code id-1}, ...) attached as XML. */
    public void deliverReports(String folder, String id, int n) {
        try {
            Path dir = Files.createTempDirectory("dmarcq-imap-reports");
            for (int i = 0; i < n; i++) {
                Path file = dir.resolve("example.net!example.com!" + id + "-" + i + ".xml");
                Files.writeString(file, report(id + "-" + i, 5));
                deliverAttachments(folder, "Report domain: example.com Report-ID: " + id + "-" + i, file);
                Files.delete(file);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small aggregate report with its own ID. */
    public static String report(String id, int records) {
        StringBuilder sb = new StringBuilder("<feedback><report_metadata><org_name>Fetch Test</org_name><email>a@fetch.example</email>")
                .append("<report_id>").append(id).append("</report_id><date_range><begin>1762387200</begin><end>1762473600</end>")
                .append("</date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published>");
        for (int i = 0; i < records; i++) {
            sb.append("<record><row><source_ip>198.51.100.").append(i).append("</source_ip><count>3</count><policy_evaluated>")
                    .append("<disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>")
                    .append("<identifiers><header_from>example.com</header_from></identifiers><auth_results><spf>")
                    .append("<domain>example.com</domain><result>fail</result></spf></auth_results></record>");
        }
        return sb.append("</feedback>").toString();
    }

    /** The subjects of the messages in a folder, in UID order. */
    public List<String> subjects(String folder) {
        try {
            MailFolder f = hosts().getFolder(user, folder);
            if (f == null) {
                return List.of();
            }
            List<String> subjects = new ArrayList<>();
            for (var m : f.getMessages()) {
                subjects.add(m.getMimeMessage().getSubject());
            }
            return subjects;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many messages of a folder carry \Seen. */
    public long seen(String folder) {
        MailFolder f = hosts().getFolder(user, folder);
        return f == null ? 0 : f.getMessages().stream().filter(m -> m.isSet(Flags.Flag.SEEN)).count();
    }

    private static MimeMessage parse(byte[] message) {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void stop() {
        mail.stop();
    }

    @Override
    public void close() {
        mail.stop();
    }
}
