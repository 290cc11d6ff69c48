package jpmacct.pmacctd;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The java command line of the daemons a test JVM starts, with a class-data archive as the launchers in bin/ have:
 * a daemon of the tests spends most of its CPU loading and verifying classes, and a module's tests start hundreds.
 * The archive only takes classes from jars, so the class path's directories (the module's own classes) are copied
 * into jars once. The daemons started before the archive exists list the classes they load; the first that ends
 * well has the archive dumped from every list so far, in the background; later daemons map it. A JVM that cannot
 * dump one (another JDK, a full disk) only leaves the daemons to load their classes as before.
 */
public final class DaemonJvm {
    /** One per class path (the tests of a module start their daemons on one or two), for the test JVM's life. */
    private static final Map<String, DaemonJvm> BY_CLASS_PATH = new ConcurrentHashMap<>();
    /** daemon-jvm-PID-N: the test JVM's pid, then which of its class paths. */
    private static final Pattern WORK_DIR = Pattern.compile("daemon-jvm-(\\d+)-\\d+");

    private final String classPath;
    private final Path work;
    private final List<Path> lists = new ArrayList<>();
    private Path archive;
    private boolean dumping;

    private DaemonJvm(String classPath, Path work) {
        this.classPath = classPath;
        this.work = work;
    }

    /** The daemon JVMs on {@code entries} (the test's class path, or a part of it). */
    public static DaemonJvm on(List<String> entries) {
        String sep = System.getProperty("path.separator");
        return BY_CLASS_PATH.computeIfAbsent(String.join(sep, entries), k -> {
            Path work = Path.of(System.getProperty("user.dir"), "target", "daemon-jvm-" + ProcessHandle.current().pid()
                    + "-" + BY_CLASS_PATH.size());
            try {
                return new DaemonJvm(String.join(sep, jarsOnly(entries, work)), work);
            } catch (IOException e) {
                throw new UncheckedIOException("copying the class path's directories into jars in " + work, e);
            }
        });
    }

    /** The test's own class path. */
    public static DaemonJvm ofTest() {
        return on(List.of(System.getProperty("java.class.path").split(System.getProperty("path.separator"))));
    }

    /**
     * The entries, each directory replaced by a jar of it in {@code work}; first removes what test JVMs that are
     * gone left beside it (surefire may run two at once in a module, each with its own).
     */
    private static List<String> jarsOnly(List<String> entries, Path work) throws IOException {
        try (Stream<Path> siblings = Files.exists(work.getParent()) ? Files.list(work.getParent()) : Stream.empty()) {
            for (Path old : siblings.filter(DaemonJvm::leftBehind).collect(Collectors.toList())) {
                try (Stream<Path> files = Files.list(old)) {
                    for (Path f : files.collect(Collectors.toList())) {
                        Files.delete(f);
                    }
                }
                Files.delete(old);
            }
        }
        Files.createDirectories(work);
        List<String> jars = new ArrayList<>();
        for (String e : entries) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                Path jar = work.resolve("dir-" + jars.size() + ".jar");
                jarOf(p, jar);
                jars.add(jar.toString());
            } else {
                jars.add(e);
            }
        }
        return jars;
    }

    /** A work directory of a test JVM that has ended. */
    private static boolean leftBehind(Path dir) {
        Matcher m = WORK_DIR.matcher(dir.getFileName().toString());
        return m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty();
    }

    private static void jarOf(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    /** {@code java [archive or class list] -Xmx512m -cp ... main args}; the process's end may complete the archive. */
    public synchronized List<String> command(String main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        if (archive != null) {
            cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        } else if (!dumping) {
            Path list = work.resolve("classes-" + lists.size() + ".lst");
            lists.add(list);
            cmd.add("-XX:DumpLoadedClassList=" + list);
        }
        cmd.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-cp", classPath, main));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the daemon of {@link #command}; once one ends well, the archive is dumped from the lists. */
    public Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        p.onExit().thenAcceptAsync(done -> {
            if (done.exitValue() == 0) {
                dumpOnce();
            }
        }, task -> {
            Thread t = new Thread(task, "class-data archive");
            t.setDaemon(true);
            t.start();
        });
        return p;
    }

    private void dumpOnce() {
        List<Path> from;
        synchronized (this) {
            if (archive != null || dumping) {
                return;
            }
            dumping = true;
            from = List.copyOf(lists);
        }
        Path result = null;
        try {
            Set<String> classes = new LinkedHashSet<>();
            for (Path l : from) {
                if (Files.exists(l)) {
                    classes.addAll(Files.readAllLines(l, StandardCharsets.UTF_8));
                }
            }
            Path union = work.resolve("classes.lst");
            Files.write(union, classes, StandardCharsets.UTF_8);
            Path jsa = work.resolve("daemons.jsa");
            Process dump = new ProcessBuilder(java(), "-Xshare:dump", "-XX:SharedClassListFile=" + union,
                    "-XX:SharedArchiveFile=" + jsa, "-cp", classPath, "-Xlog:cds=off")
                    .redirectErrorStream(true).redirectOutput(work.resolve("dump.out").toFile()).start();
            if (dump.waitFor(300, TimeUnit.SECONDS) && dump.exitValue() == 0 && Files.exists(jsa)) {
                result = jsa;
            } else {
                dump.destroyForcibly();
            }
        } catch (IOException e) {
            // no archive: the daemons load their classes themselves
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            archive = result;
            dumping = result == null; // one try only
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
