package jpmacct.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two test hosts in network namespaces of their own, joined by a Linux bridge in the root namespace:
 * {@code a} (10.77.0.1, fd77::1) and {@code b} (10.77.0.2, fd77::2). Torn down on close.
 */
final class Netns implements AutoCloseable {
    final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(10000, 99999));
    final String nsA = "jpma" + tag;
    final String nsB = "jpmb" + tag;
    final String bridge = "jpbr" + tag;
    final String vethA = "jpva" + tag;
    final String vethB = "jpvb" + tag;
    static final String A = "10.77.0.1";
    static final String B = "10.77.0.2";
    private final List<Process> background = new ArrayList<>();

    static boolean available() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                    StandardCharsets.US_ASCII).strip()) && new ProcessBuilder("ip", "netns", "list").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    Netns() throws IOException, InterruptedException {
        sh("ip netns add " + nsA);
        sh("ip netns add " + nsB);
        sh("ip link add " + bridge + " type bridge");
        sh("ip link set " + bridge + " up");
        for (String[] side : new String[][] {{nsA, vethA, A, "fd77::1"}, {nsB, vethB, B, "fd77::2"}}) {
            sh("ip link add " + side[1] + " type veth peer name eth0 netns " + side[0]);
            sh("ip link set " + side[1] + " master " + bridge + " up");
            sh("ip netns exec " + side[0] + " ip link set lo up");
            sh("ip netns exec " + side[0] + " ip addr add " + side[2] + "/24 dev eth0");
            sh("ip netns exec " + side[0] + " ip -6 addr add " + side[3] + "/64 dev eth0 nodad");
            sh("ip netns exec " + side[0] + " ip link set eth0 up");
        }
        // no IPv6 router solicitations or DAD noise on the bridge
        sh("sysctl -q -w net.ipv6.conf." + bridge + ".disable_ipv6=1");
    }

    /** Runs a command in a namespace and waits for it. */
    void exec(String ns, String command) throws IOException, InterruptedException {
        sh("ip netns exec " + ns + " " + command);
    }

    /**
     * Waits until a server in the namespace listens ({@code udp} true: a UDP socket bound) on {@code port}: traffic
     * to a port nobody holds yet would come back as ICMP and change what is counted.
     */
    void awaitListening(String ns, boolean udp, int port) throws Exception {
        List<String> cmd = List.of("ip", "netns", "exec", ns, "ss", "-Hln" + (udp ? "u" : "t"), "sport = :" + port);
        Daemon.awaitCondition((udp ? "UDP" : "TCP") + " port " + port + " in " + ns, 30, () -> {
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return p.waitFor() == 0 && !out.isBlank();
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, () -> String.join(" ", cmd));
    }

    /** Runs a command (no shell) in a namespace and waits for it to succeed. */
    void run(String ns, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Starts a command in a namespace in the background (killed on close). */
    Process spawn(String ns, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        background.add(p);
        return p;
    }

    static void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("'" + command + "' failed: " + out);
        }
    }

    @Override
    public void close() {
        for (Process p : background) {
            p.destroyForcibly();
        }
        for (String c : new String[] {"ip netns del " + nsA, "ip netns del " + nsB, "ip link del " + bridge}) {
            try {
                new ProcessBuilder("sh", "-c", c).start().waitFor(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // best effort
            }
        }
    }
}
