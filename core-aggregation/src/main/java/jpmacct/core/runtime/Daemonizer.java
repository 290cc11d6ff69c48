package jpmacct.core.runtime;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * {@code daemonize: true} for a JVM, which cannot fork: the foreground process validates the configuration, then
 * starts itself again detached ({@code setsid}, stdin from /dev/null), relays the child's start-up messages and
 * exits with 0 once the child reports it is running, or with the child's status if it failed to start.
 */
public final class Daemonizer {
    private static final String CHILD_ENV = "JPMACCT_DAEMON_CHILD";
    private static final String READY = "jpmacct-daemon-ready";

    private Daemonizer() {
    }

    public static boolean isChild() {
        return "1".equals(System.getenv(CHILD_ENV));
    }

    /** Starts the detached copy and waits for it to come up. Returns the foreground process's exit status. */
    public static int spawn(Class<?> mainClass, String[] args) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        } else if (Files.isExecutable(Path.of("/bin/setsid"))) {
            cmd.add("/bin/setsid");
        }
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put(CHILD_ENV, "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            System.err.println("ERROR: cannot start the daemon process: " + e.getMessage());
            return 1;
        }
        Thread relay = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.err.println(line);
                }
            } catch (IOException e) {
                // the child detached its stderr
            }
        }, "daemon stderr relay");
        relay.setDaemon(true);
        relay.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals(READY)) {
                    relay.join(200);
                    return 0;
                }
            }
            // stdout closed without READY: the child is exiting
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroy();
                return 1;
            }
            relay.join(1000);
            return p.exitValue() == 0 ? 1 : p.exitValue();
        } catch (IOException e) {
            System.err.println("ERROR: lost contact with the daemon process: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** In the detached child, once running: tells the foreground process, then lets go of the terminal. */
    public static void ready() {
        System.out.println(READY);
        System.out.flush();
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        System.setOut(nowhere);
        System.setErr(nowhere);
        // point fds 1 and 2 at /dev/null: the foreground process sees end of file, and nothing written to
        // them later (JVM messages) can land in a file that reuses the descriptor numbers
        CLib libc = Native.load("c", CLib.class);
        int fd = libc.open("/dev/null", 2);
        if (fd >= 0) {
            libc.dup2(fd, 1);
            libc.dup2(fd, 2);
            if (fd > 2) {
                libc.close(fd);
            }
        }
    }

    interface CLib extends Library {
        int open(String path, int flags);

        int dup2(int from, int to);

        int close(int fd);
    }
}
