package org.dmarcq.bench;

import com.ctc.wstx.stax.WstxInputFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.dmarcq.ingest.Ingest;
import org.dmarcq.ingest.IngestSummary;
import org.dmarcq.store.Store;

/**
 * One benchmark step per JVM, so each has its own peak RSS. Prints one line of key=value results.
 *
 * <pre>
 * Benchmark generate-small DIR N    N reports of 1..50 records, mixed xml/gz/zip
 * Benchmark generate-large FILE     one report of 1,000,000 records
 * Benchmark ingest DB PATH          dmarcq's ingest into a new database
 * Benchmark scan PATH               the ceiling: a bare StAX scan of the same decompressed XML
 * </pre>
 */
public final class Benchmark {
    public static void main(String[] args) throws Exception {
        String step = args[0];
        switch (step) {
            case "generate-small" -> {
                int reports = Integer.parseInt(args[2]);
                long bytes = new CorpusGenerator(42 + reports, 40).writeCorpus(Files.createDirectories(Path.of(args[1])), reports, 1, 50);
                System.out.printf(Locale.ROOT, "xml_bytes=%d%n", bytes);
            }
            case "generate-large" -> {
                long bytes = new CorpusGenerator(7, 40).writeLargeReport(Path.of(args[1]), 1_000_000);
                System.out.printf(Locale.ROOT, "xml_bytes=%d%n", bytes);
            }
            case "ingest" -> ingest(Path.of(args[1]), args[2]);
            case "scan" -> scan(Path.of(args[1]), false);
            case "parse" -> scan(Path.of(args[1]), true);
            default -> throw new IllegalArgumentException("unknown step " + step);
        }
    }

    private static void ingest(Path db, String input) {
        long start = System.nanoTime();
        IngestSummary summary;
        try (Store store = Store.open(db)) {
            summary = Ingest.into(store).run(List.of(input));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        double storing = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
        System.out.printf(Locale.ROOT, "seconds=%.2f reports=%d records=%d messages=%d errors=%d peak_rss_mb=%d"
                        + " cpu_seconds=%.2f storing_thread_cpu_seconds=%.2f%n",
                seconds, summary.reports(), summary.records(), summary.messages(), summary.problems().size(), peakRssMb(),
                cpu, storing);
    }

    private static void scan(Path input, boolean parse) throws IOException, XMLStreamException, org.dmarcq.report.ReportFormatException {
        XMLInputFactory factory = new WstxInputFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        long start = System.nanoTime();
        long events = 0;
        long bytes = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.isDirectory(input) ? Files.walk(input) : Stream.of(input)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            try (InputStream raw = Files.newInputStream(file)) {
                String name = file.getFileName().toString();
                if (name.endsWith(".zip")) {
                    ZipArchiveInputStream zip = new ZipArchiveInputStream(raw);
                    while (zip.getNextEntry() != null) {
                        CountingStream counted = new CountingStream(zip);
                        events += parse ? parseXml(counted) : scanXml(factory, counted);
                        bytes += counted.count;
                    }
                } else {
                    CountingStream counted = new CountingStream(name.endsWith(".gz") ? new GzipCompressorInputStream(raw) : raw);
                    events += parse ? parseXml(counted) : scanXml(factory, counted);
                    bytes += counted.count;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "seconds=%.2f files=%d events=%d xml_bytes=%d peak_rss_mb=%d%n",
                seconds, files.size(), events, bytes, peakRssMb());
    }

    /** dmarcq's reader without the store: where parsing ends and storing begins. */
    private static long parseXml(InputStream in) throws IOException, org.dmarcq.report.ReportFormatException {
        long records = 0;
        try (var reader = org.dmarcq.report.ReportReader.open(in, org.dmarcq.report.Location.of("bench", null))) {
            while (reader.next() != null) {
                records++;
            }
        }
        return records;
    }

    private static long scanXml(XMLInputFactory factory, InputStream in) throws XMLStreamException {
        XMLStreamReader reader = factory.createXMLStreamReader(in);
        long events = 0;
        while (reader.hasNext()) {
            reader.next();
            events++;
        }
        reader.close();
        return events;
    }

    /** Peak resident set size of this JVM (VmHWM), in MB; -1 where /proc is not available. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() {
            // the zip stream is closed by its owner
        }
    }
}
