package org.threadkill.safepoint;

import java.io.InputStream;
import java.lang.invoke.MethodType;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.testing.ChildJvm;

/**
 * Child-JVM program for {@link BlockingJdkCallTest}: five victims, one after the other, each blocked
 * in one of the JDK's own blocking calls, each frozen; then the JVM must still start and read a
 * child process, GC, start a thread, walk every stack, intern a MethodType and print.
 *
 * <ul>
 * <li>{@code pipe}: starts a child process, then reads its output ({@code Process.getInputStream()},
 *     a BufferedInputStream over the pipe: its monitor held, and {@code FileInputStream.readBytes}'
 *     8 KiB stack buffer full of the process start's stale libc addresses);
 * <li>{@code waitFor}: {@code Process.waitFor()} ({@code Object.wait} inside ProcessImpl);
 * <li>{@code datagram}: {@code DatagramSocket.receive} (the packet's monitor held).
 * </ul>
 */
public final class BlockingJdkCallProbe {
    private BlockingJdkCallProbe() {}

    private static final List<Process> CHILDREN = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int victims = Integer.parseInt(args[1]);
        int stopped = 0;
        for (int i = 0; i < victims; i++) {
            Thread victim = new Thread(() -> {
                try {
                    block(kind);
                } catch (Throwable e) {
                    SafePointProbe.say("victim.threw", e.toString());
                }
            }, "victim-" + kind + "-" + i);
            victim.setDaemon(true);
            victim.start();
            Thread.sleep(300);   // well inside the blocking call
            if (i == 0) ThreadKill.inspect(victim);   // the first use loads some hundred classes: not timed
            long t0 = System.nanoTime();
            KillResult r = ThreadKill.kill(victim, KillMode.NATIVE_FREEZE, ChildJvm.scaled(Duration.ofSeconds(2)));
            SafePointProbe.say("kill." + i + ".elapsedMs", Long.toString((System.nanoTime() - t0) / 1_000_000));
            SafePointProbe.say("kill." + i + ".outcome", r.outcome().name());
            SafePointProbe.say("kill." + i + ".detail", r.detail());
            if (r.outcome().name().equals("STOPPED")) stopped++;
        }
        SafePointProbe.say("kills.stopped", Integer.toString(stopped));

        SafePointProbe.probe("process", () -> {
            Process p = new ProcessBuilder("echo", "still").start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(20, TimeUnit.SECONDS) || !out.equals("still")) throw new IllegalStateException("child said " + out);
        });
        SafePointProbe.probe("gc", System::gc);
        SafePointProbe.probe("newthread", () -> {
            CountDownLatch ran = new CountDownLatch(1);
            Thread t = new Thread(ran::countDown, "probe-new");
            t.start();
            if (!ran.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("new thread never ran");
            t.join();
        });
        SafePointProbe.probe("stacks", () -> SafePointProbe.say("stacks.count", Integer.toString(Thread.getAllStackTraces().size())));
        SafePointProbe.probe("methodtype", () -> MethodType.methodType(BlockingJdkCallProbe.class, long[].class, byte.class));
        SafePointProbe.probe("stdout", () -> System.out.println("main can still print"));
        synchronized (CHILDREN) {
            for (Process p : CHILDREN) p.destroyForcibly();
        }
        SafePointProbe.say("main.returning", "true");
    }

    private static Process child() throws Exception {
        Process p = new ProcessBuilder("sleep", "120").start();
        synchronized (CHILDREN) {
            CHILDREN.add(p);
        }
        return p;
    }

    private static void block(String kind) throws Exception {
        switch (kind) {
            case "pipe": {
                InputStream in = child().getInputStream();
                in.read();
                break;
            }
            case "waitFor":
                child().waitFor();
                break;
            case "datagram":
                try (DatagramSocket d = new DatagramSocket(0)) {
                    d.receive(new DatagramPacket(new byte[64], 64));
                }
                break;
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }
}
