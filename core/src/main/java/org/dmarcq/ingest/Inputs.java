package org.dmarcq.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands what the user named into files: folders recursively, in name order, skipping hidden
 * entries; a Maildir (a folder with {@code cur} and {@code new}) contributes only its delivered
 * messages, not {@code tmp} or the mail server's index files. A symbolic link that leads back to a
 * folder being read is a loop: reported once, not followed. Each real folder is read once, however
 * many links lead to it, so that links cannot multiply the work.
 */
final class Inputs {
    /**
     * One input to read: a file, standard input ({@code -}), or a name that could not be read;
     * {@code named} when the user named it rather than a folder holding it.
     */
    record Input(String name, Path path, String problem, boolean named, byte[] content) {
        Input(String name, Path path, String problem, boolean named) {
            this(name, path, problem, named, null);
        }
    }

    private Inputs() {}

    static List<Input> expand(List<String> names) {
        List<Input> inputs = new ArrayList<>();
        java.util.Set<Path> read = new java.util.HashSet<>();
        for (String name : names) {
            if (name.equals("-")) {
                inputs.add(new Input("-", null, null, true));
                continue;
            }
            Path path = Path.of(name);
            if (Files.isDirectory(path)) {
                folder(path, name, inputs, new java.util.HashSet<>(), read);
            } else if (Files.isRegularFile(path)) {
                inputs.add(new Input(name, path, Files.isReadable(path) ? null : "cannot read the file: permission denied", true));
            } else {
                inputs.add(new Input(name, null, Files.exists(path) ? "not a regular file or folder" : "no such file or folder", true));
            }
        }
        return inputs;
    }

    /**
     * @param ancestors the real folders being read, around this one
     * @param read every real folder read so far
     */
    private static void folder(Path dir, String name, List<Input> inputs, java.util.Set<Path> ancestors, java.util.Set<Path> read) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            inputs.add(new Input(name, null, "cannot read the folder: " + e.getMessage(), true));
            return;
        }
        if (ancestors.size() >= MAX_DEPTH) {
            inputs.add(new Input(name, null, "refused: folders nested more than " + MAX_DEPTH + " deep (the limit); not read", true));
            return;
        }
        if (!ancestors.add(real)) {
            inputs.add(new Input(name, null, "a symbolic link loop: it leads back to " + real + ", which is being read; not"
                    + " read again", true));
            return;
        }
        if (!read.add(real)) {
            ancestors.remove(real);
            return; // read already, under the name it had first
        }
        boolean maildir = Files.isDirectory(dir.resolve("cur")) && Files.isDirectory(dir.resolve("new"));
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        } catch (IOException e) {
            inputs.add(new Input(name, null, "cannot list the folder: " + e.getMessage(), true));
            return;
        }
        boolean specialFolder = kernelMade(real);
        for (Path child : children) {
            String file = child.getFileName().toString();
            String childName = name.endsWith("/") ? name + file : name + "/" + file;
            boolean hidden = file.startsWith(".");
            // one stat for an entry that is not a link (most are); a link is followed, as the user would
            BasicFileAttributes own = attributes(child, LinkOption.NOFOLLOW_LINKS);
            boolean link = own != null && own.isSymbolicLink();
            BasicFileAttributes target = link ? attributes(child) : own; // null: a link to nothing, or unreadable
            if (target != null && target.isDirectory()) {
                boolean maildirFolder = maildir && (file.equals("cur") || file.equals("new") || file.startsWith("."));
                if ((!hidden || maildirFolder) && !(maildir && file.equals("tmp"))) {
                    folder(child, childName, inputs, ancestors, read);
                }
            } else if (hidden || maildir) {
                continue;
            } else if (target != null && target.isRegularFile()) {
                if (!isDatabase(file)) {
                    inputs.add((link ? special(child) : specialFolder) ? new Input(childName, null,
                            "not a regular file (it lies in /proc, /sys or /dev): not read", false) : new Input(childName, child, null, false));
                }
            } else if (link && target == null) {
                inputs.add(new Input(childName, null, "a symbolic link to nothing (or a loop of links)", false));
            } else if (target != null) {
                inputs.add(new Input(childName, null, "not a regular file (a pipe, socket or device): not read", false));
            }
        }
        ancestors.remove(real);
    }

    /** Folders inside each other, at most: a deeper tree is refused, not walked into until the stack runs out. */
    static final int MAX_DEPTH = 100;

    /** A file the kernel makes up, reached through a link: reading one may never end. */
    private static boolean special(Path file) {
        try {
            return kernelMade(file.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean kernelMade(Path real) {
        return real.startsWith("/proc") || real.startsWith("/sys") || real.startsWith("/dev");
    }

    /** The entry's attributes (with NOFOLLOW_LINKS a link's own, not its target's); null when they cannot be read. */
    private static BasicFileAttributes attributes(Path entry, LinkOption... options) {
        try {
            return Files.readAttributes(entry, BasicFileAttributes.class, options);
        } catch (IOException e) {
            return null;
        }
    }

    /** dmarcq's own database, when someone ingests the folder it lives in. */
    private static boolean isDatabase(String file) {
        return file.endsWith(".duckdb") || file.endsWith(".duckdb.wal");
    }
}
