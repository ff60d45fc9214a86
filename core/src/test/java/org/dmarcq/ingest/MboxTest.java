package org.dmarcq.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MboxTest {
    private static List<String> messages(String mbox) throws IOException {
        Mbox split = new Mbox(new ByteArrayInputStream(mbox.getBytes(StandardCharsets.ISO_8859_1)));
        List<String> messages = new ArrayList<>();
        for (InputStream m; (m = split.next()) != null; ) {
            messages.add(new String(m.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        return messages;
    }

    @Test
    void aFromLineStartsAMessageOnlyAfterABlankLineAndBeforeAHeader() throws IOException {
        assertThat(messages("""
                From a@example.com Thu Nov  6 10:00:00 2025
                Subject: one

                Hello.

                From the desk of the postmaster: this line is body text.
                Regards

                From b@example.com Thu Nov  6 10:00:01 2025
                Subject: two

                Bye.
                """)).containsExactly("""
                Subject: one

                Hello.

                From the desk of the postmaster: this line is body text.
                Regards
                """, """
                Subject: two

                Bye.
                """);
    }

    @Test
    void aFullSeparatorLineStartsAMessageEvenWithoutABlankLineBeforeIt() throws IOException {
        assertThat(messages("""
                From a@example.com Thu Nov  6 10:00:00 2025
                Subject: one

                Hello.
                From b@example.com Thu Nov  6 10:00:01 2025
                Subject: two

                Bye.
                From c@example.com Thu, 06 Nov 2025 10:00:02 +0000
                Subject: three

                Bye.
                From the desk of the postmaster Thu: body text
                Subject: still body text, for the line above is no separator
                """)).containsExactly("""
                Subject: one

                Hello.
                """, """
                Subject: two

                Bye.
                """, """
                Subject: three

                Bye.
                From the desk of the postmaster Thu: body text
                Subject: still body text, for the line above is no separator
                """);
    }

    @Test
    void quotedFromLinesLoseOneQuote() throws IOException {
        assertThat(messages("From a@example.com Thu Nov  6 10:00:00 2025\nSubject: x\n\n>From here\n>>From there\n"))
                .containsExactly("Subject: x\n\nFrom here\n>From there\n");
    }

    @Test
    void aLineLongerThanAChunkIsPassedOnWhole() throws IOException {
        String longLine = "y".repeat(Mbox.CHUNK * 3 + 17);
        assertThat(messages("From a@example.com Thu Nov  6 10:00:00 2025\nSubject: x\n\n" + longLine + "\n\n"
                + "From b@example.com Thu Nov  6 10:00:01 2025\nSubject: y\n\nz\n"))
                .containsExactly("Subject: x\n\n" + longLine + "\n", "Subject: y\n\nz\n");
    }
}
