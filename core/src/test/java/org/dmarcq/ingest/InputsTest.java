package org.dmarcq.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputsTest {
    @TempDir Path temp;

    private List<String> expand(Path dir) {
        return Inputs.expand(List.of(dir.toString())).stream()
                .map(i -> temp.relativize(Path.of(i.name())) + (i.problem() == null ? "" : ": " + i.problem()))
                .toList();
    }

    @Test
    void aMaildirContributesItsDeliveredMessagesOnly() throws Exception {
        Path box = Files.createDirectories(temp.resolve("rua"));
        for (String d : List.of("cur", "new", "tmp", ".Archive/cur", ".Archive/new")) {
            Files.createDirectories(box.resolve(d));
        }
        Files.writeString(box.resolve("cur/1:2,S"), "m");
        Files.writeString(box.resolve("new/2"), "m");
        Files.writeString(box.resolve("tmp/3"), "m");
        Files.writeString(box.resolve("dovecot.index"), "i");
        Files.writeString(box.resolve(".Archive/cur/4:2,S"), "m");
        assertThat(expand(box)).containsExactly("rua/.Archive/cur/4:2,S", "rua/cur/1:2,S", "rua/new/2");
    }

    @Test
    void aLoopIsReportedOnceAndEachRealFolderIsReadOnce() throws Exception {
        Path top = Files.createDirectories(temp.resolve("top"));
        Path shared = Files.createDirectories(temp.resolve("top/a"));
        Files.writeString(shared.resolve("r.xml"), "x");
        Files.createSymbolicLink(top.resolve("b"), shared);
        Files.createSymbolicLink(top.resolve("c"), shared);
        Files.createSymbolicLink(shared.resolve("up"), top);
        assertThat(expand(top)).containsExactly("top/a/r.xml",
                "top/a/up: a symbolic link loop: it leads back to " + top.toRealPath() + ", which is being read; not read again");
    }

    @Test
    void linksThatMultiplyFoldersCostOneReadEach() throws Exception {
        // each level links twice to the next: 2^30 paths, 30 folders
        Path level = Files.createDirectories(temp.resolve("l30"));
        Files.writeString(level.resolve("r.xml"), "x");
        for (int i = 29; i >= 0; i--) {
            Path up = Files.createDirectories(temp.resolve("l" + i));
            Files.createSymbolicLink(up.resolve("x"), level);
            Files.createSymbolicLink(up.resolve("y"), level);
            level = up;
        }
        List<String> inputs = expand(level);
        assertThat(inputs).hasSize(1);
        assertThat(inputs.get(0)).endsWith("/r.xml");
    }

    @Test
    void foldersNestedTooDeepAreOneLineNotTheEndOfTheBatch() throws Exception {
        Path top = Files.createDirectories(temp.resolve("deep"));
        Path dir = top;
        for (int i = 0; i < 150; i++) {
            dir = Files.createDirectory(dir.resolve("d"));
        }
        Files.writeString(dir.resolve("r.xml"), "x");
        Files.writeString(top.resolve("top.xml"), "x");
        List<String> inputs = expand(top);
        assertThat(inputs).hasSize(2).contains("deep/top.xml");
        assertThat(inputs).anySatisfy(i -> assertThat(i).endsWith("/d: refused: folders nested more than 100 deep (the limit);"
                + " not read"));
    }

    @Test
    void aLinkToAFileTheKernelMakesUpIsNotRead() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("rua"));
        Files.createSymbolicLink(dir.resolve("kmsg.xml"), Path.of("/proc/self/status"));
        assertThat(expand(dir)).containsExactly("rua/kmsg.xml: not a regular file (it lies in /proc, /sys or /dev): not read");
    }

    @Test
    void aPipeInAFolderIsNamedNotSkippedSilently() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("rua"));
        Path fifo = dir.resolve("pipe.xml");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here");
            return;
        }
        assumeTrue(p.waitFor() == 0, "mkfifo failed");
        assertThat(expand(dir)).containsExactly("rua/pipe.xml: not a regular file (a pipe, socket or device): not read");
    }
}
