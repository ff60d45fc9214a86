package org.dmarcq.report;

/**
 * Where input went wrong. {@code member} names the path inside containers (zip member, e-mail
 * attachment, ...) and is null for a plain file; line and column are -1 when unknown.
 */
public record Location(String file, String member, int line, int column) {

    /** A whole file or container member, no position. */
    public static Location of(String file, String member) {
        return new Location(file, member, -1, -1);
    }

    /** The same place at a line and column of its content. */
    public Location at(int line, int column) {
        return new Location(file, member, line, column);
    }

    /** The file and member, without position: what a report's {@code source_file} column holds. */
    public String source() {
        return member == null ? file : file + "!" + member;
    }

    @Override
    public String toString() {
        return line < 0 ? source() : source() + ":" + line + ":" + column;
    }
}
