package org.dmarcq.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where an ingest's time went, from a JFR recording made with {@code bench/profile.jfc}: the JIT's
 * compile time per tier (it runs on threads of its own, taking a core from the work), GC pauses,
 * and the samples of each thread, Java code and native code (DuckDB) apart, by the dmarcq method
 * nearest the top of the stack. A sample stands for the sampling period (2 ms by the settings).
 *
 * <pre>java -cp dmarcq-bench.jar org.dmarcq.bench.ProfileSummary RECORDING.jfr</pre>
 */
public final class ProfileSummary {
    private ProfileSummary() {}

    public static void main(String[] args) throws IOException {
        Map<String, Duration> compiling = new TreeMap<>();
        Map<String, Integer> compiled = new TreeMap<>();
        Duration pauses = Duration.ZERO;
        Map<String, Integer> samples = new TreeMap<>();
        Map<String, Integer> byThread = new TreeMap<>();
        // the main thread's samples in windows of a tenth of a second from the first: what it did when
        Map<Long, Map<String, Integer>> timeline = new TreeMap<>();
        java.time.Instant first = null;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            switch (e.getEventType().getName()) {
                case "jdk.Compilation" -> {
                    String tier = "tier " + e.getInt("compileLevel") + (e.getInt("compileLevel") == 4 ? " (C2)" : " (C1)");
                    compiling.merge(tier, e.getDuration(), Duration::plus);
                    compiled.merge(tier, 1, Integer::sum);
                }
                case "jdk.GarbageCollection" -> pauses = pauses.plus(e.getDuration("sumOfPauses"));
                case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> {
                    boolean nativeCode = e.getEventType().getName().equals("jdk.NativeMethodSample");
                    String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                    String key = thread + (nativeCode ? " native  " : " java    ") + nearestOwnMethod(e.getStackTrace());
                    samples.merge(key, 1, Integer::sum);
                    byThread.merge(thread + (nativeCode ? " native" : " java"), 1, Integer::sum);
                    if (thread.equals("main")) {
                        first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
                        timeline.computeIfAbsent(e.getStartTime().toEpochMilli() / 100, w -> new TreeMap<>())
                                .merge(nearestOwnMethod(e.getStackTrace()).replaceAll(" > .*", ""), 1, Integer::sum);
                    }
                }
                default -> { }
            }
        }
        System.out.println("JIT compile time (compiler threads):");
        compiling.forEach((tier, d) -> System.out.printf(Locale.ROOT, "  %-12s %6d methods %7.2f s%n", tier, compiled.get(tier),
                d.toNanos() / 1e9));
        System.out.printf(Locale.ROOT, "GC pauses: %.2f s%n", pauses.toNanos() / 1e9);
        System.out.println("Samples by thread (a native sample is a thread inside DuckDB or the JDK's native code, running or waiting):");
        byThread.forEach((t, n) -> System.out.printf(Locale.ROOT, "  %6d  %s%n", n, t));
        System.out.println("Samples by thread and the nearest dmarcq method:");
        List<Map.Entry<String, Integer>> top = samples.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).limit(30).toList();
        top.forEach(t -> System.out.printf(Locale.ROOT, "  %6d  %s%n", t.getValue(), t.getKey()));
        System.out.println("The main thread by tenth of a second (samples, then the methods it was in most):");
        if (first != null) {
            long start = first.toEpochMilli() / 100;
            timeline.forEach((window, methods) -> System.out.printf(Locale.ROOT, "  %5.1f s %4d  %s%n", (window - start) / 10.0,
                    methods.values().stream().mapToInt(Integer::intValue).sum(),
                    String.join(", ", methods.entrySet().stream()
                            .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).limit(2)
                            .map(m -> m.getKey() + " " + m.getValue()).toList())));
        }
    }

    private static String nearestOwnMethod(RecordedStackTrace stack) {
        if (stack == null) {
            return "?";
        }
        String top = null;
        for (RecordedFrame f : stack.getFrames()) {
            String name = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            if (top == null) {
                top = name;
            }
            if (name.startsWith("org.dmarcq.")) {
                return name.substring("org.dmarcq.".length()) + (name.equals(top) ? "" : " > " + top);
            }
        }
        return top == null ? "?" : top;
    }
}
