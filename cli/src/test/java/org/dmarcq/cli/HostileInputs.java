package org.dmarcq.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes the damaged and hostile inputs of {@link HostileInputTest}: made here, not committed as blobs. */
final class HostileInputs {
    static final long DAY = 1762387200L; // 2025-11-06

    private HostileInputs() {}

    /** A well-formed report of {@code records} records; each record's IP differs, so the XML does not compress to nothing. */
    static String report(String id, int records) {
        return report(id, records, "Hostile Test", 2, DAY, DAY + 86_399, "");
    }

    static String report(String id, int records, String org, long count, long begin, long end, String beforeEnd) {
        StringBuilder sb = new StringBuilder(300 * records + 600);
        sb.append("<?xml version=\"1.0\"?>\n<feedback><report_metadata><org_name>").append(org)
                .append("</org_name><email>dmarc@hostile.example</email><report_id>").append(id)
                .append("</report_id><date_range><begin>").append(begin).append("</begin><end>").append(end)
                .append("</end></date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p>")
                .append("</policy_published>\n");
        for (int i = 0; i < records; i++) {
            sb.append("<record><row><source_ip>10.").append(i >> 16 & 255).append('.').append(i >> 8 & 255).append('.')
                    .append(i & 255).append("</source_ip><count>").append(count).append("</count><policy_evaluated>")
                    .append("<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>")
                    .append("<identifiers><header_from>example.com</header_from></identifiers><auth_results><spf>")
                    .append("<domain>sender").append(i % 97).append(".example</domain><result>fail</result></spf>")
                    .append("</auth_results></record>\n");
        }
        return sb.append(beforeEnd).append("</feedback>\n").toString();
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A zip of the named members, stored uncompressed; with {@code damage}, one byte of each
     * member's data is changed after its CRC-32 was recorded.
     */
    static byte[] zip(boolean damage, String... namesAndContents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                ZipEntry entry = new ZipEntry(namesAndContents[i]);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(content.length);
                CRC32 crc = new CRC32();
                crc.update(content);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(content);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        if (damage) {
            byte[] marker = "<org_name>".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i + marker.length < bytes.length; i++) {
                if (Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length)) {
                    bytes[i + marker.length] ^= 0x20; // a letter changes case: still XML, wrong checksum
                }
            }
        }
        return bytes;
    }

    /**
     * A zip whose members are stored uncompressed with their sizes after the data (a data
     * descriptor), as a writer to a pipe makes them: a streaming reader cannot tell where one ends
     * but by looking for the next.
     */
    static byte[] zipWithSizesAfterData(byte[]... contents) {
        java.nio.ByteBuffer local = java.nio.ByteBuffer.allocate(Arrays.stream(contents).mapToInt(c -> c.length + 200).sum() + 100)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.nio.ByteBuffer central = java.nio.ByteBuffer.allocate(100 * contents.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < contents.length; i++) {
            byte[] name = ("member-" + i + ".xml").getBytes(StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(contents[i]);
            int offset = local.position();
            local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0008).putShort((short) 0).putInt(0)
                    .putInt(0).putInt(0).putInt(0).putShort((short) name.length).putShort((short) 0).put(name).put(contents[i])
                    .putInt(0x08074b50).putInt((int) crc.getValue()).putInt(contents[i].length).putInt(contents[i].length);
            central.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x0008).putShort((short) 0)
                    .putInt(0).putInt((int) crc.getValue()).putInt(contents[i].length).putInt(contents[i].length)
                    .putShort((short) name.length).putInt(0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset)
                    .put(name);
        }
        int centralOffset = local.position();
        local.put(central.array(), 0, central.position());
        local.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) contents.length)
                .putShort((short) contents.length).putInt(central.position()).putInt(centralOffset).putShort((short) 0);
        return Arrays.copyOf(local.array(), local.position());
    }

    /** An e-mail with one base64 attachment; with a null name, an inline part of that type. */
    static String email(String subject, String attachmentName, String type, byte[] attachment) {
        return "From: noreply-dmarc-support@google.com\r\nTo: rua@example.com\r\nSubject: " + subject + "\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BOUNDARY\"\r\n\r\n"
                + "--BOUNDARY\r\nContent-Type: text/plain\r\n\r\nThis is an aggregate report.\r\n\r\n"
                + (attachmentName == null ? "--BOUNDARY\r\nContent-Type: " + type + "\r\n"
                        : "--BOUNDARY\r\nContent-Type: " + type + "; name=\"" + attachmentName + "\"\r\n"
                        + "Content-Disposition: attachment; filename=\"" + attachmentName + "\"\r\n")
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(attachment) + "\r\n--BOUNDARY--\r\n";
    }

    /** An e-mail whose body is {@code depth} messages attached inside each other. */
    static String nestedMessages(int depth) {
        StringBuilder sb = new StringBuilder("From: a@hostile.example\r\nSubject: deep\r\n");
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: message/rfc822\r\n\r\n");
        }
        return sb.append("Content-Type: text/plain\r\n\r\nthe bottom\r\n").toString();
    }

    /** An e-mail of {@code depth} multiparts, each holding the next. */
    static void nestedMultiparts(Path file, int depth) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("From: a@hostile.example\r\nSubject: deep\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < depth; i++) {
                out.write(("Content-Type: multipart/mixed; boundary=\"b" + i + "\"\r\n\r\n--b" + i + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            out.write("Content-Type: text/plain\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = depth - 1; i >= 0; i--) {
                out.write(("--b" + i + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    /** Writes {@code bytes} bytes of {@code fill}, a mebibyte at a time: the test never holds them. */
    static void fill(OutputStream out, long bytes, byte fill) throws IOException {
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, fill);
        for (long left = bytes; left > 0; left -= chunk.length) {
            out.write(chunk, 0, (int) Math.min(left, chunk.length));
        }
    }
}
