package org.dmarcq.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dmarcq.fetch.FetchException;

/**
 * Runs a {@code --password-command} or {@code --oauth2-token-command} with {@code sh -c}: its
 * standard output is the secret; its standard error goes into the error when it fails.
 */
final class SecretCommand {
    /** Output kept, at most: a token is a few kilobytes. */
    private static final int MOST = 64 * 1024;
    private static final long TIMEOUT_SECONDS = 60;

    private SecretCommand() {}

    static String run(String command, String option) {
        Process p;
        try {
            p = new ProcessBuilder("sh", "-c", command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new FetchException(option + ": cannot run it: " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly); // what sh started, or it lives on
                p.destroyForcibly();
                throw new FetchException(option + ": gave no answer in " + TIMEOUT_SECONDS + " s; stopped it", null);
            }
            String stdout = new String(out.get(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                String why = new String(err.get(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).findFirst().orElse("");
                throw new FetchException(option + ": exited with status " + p.exitValue() + (why.isEmpty() ? "" : ": " + why.strip()),
                        null);
            }
            return stdout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new FetchException(option + ": interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new FetchException(option + ": cannot read its output: " + e.getCause().getMessage(), e);
        }
    }

    private static byte[] read(InputStream in) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (kept.size() < MOST) {
                    kept.write(buffer, 0, Math.min(n, MOST - kept.size()));
                }
            }
        } catch (IOException e) {
            // the process went away: what was read is what there is
        }
        return kept.toByteArray();
    }
}
