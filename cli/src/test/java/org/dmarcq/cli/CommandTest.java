package org.dmarcq.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs dmarcq commands in-process, keeping what they print to standard output and error. */
abstract class CommandTest {
    protected final StringWriter out = new StringWriter();
    protected final StringWriter err = new StringWriter();

    /** Runs one command line; returns its exit status. {@link #out} and {@link #err} hold only its output. */
    protected int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), args).execute(args);
    }
}
