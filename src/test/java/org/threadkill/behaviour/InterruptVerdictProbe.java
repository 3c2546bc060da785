package org.threadkill.behaviour;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

import org.threadkill.Hazards;
import org.threadkill.KillMode;
import org.threadkill.KillResult;
import org.threadkill.ThreadKill;

/**
 * Child-JVM program: a thread blocked in each of the JDK's blocking operations; the INTERRUPT
 * verdict inspect() gives just before, then what INTERRUPT did within a second. Each victim
 * returns from its operation on any exception, so "the call ended" shows as the thread ending.
 * Prints {@code <op>=<predicted effect> <observed outcome>}.
 */
public final class InterruptVerdictProbe {
    private InterruptVerdictProbe() {}

    interface Op {
        void block() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServerSocket classic = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Object monitor = new Object();
        run("sleep", () -> Thread.sleep(60_000));
        run("objectWait", () -> {
            synchronized (monitor) {
                monitor.wait();
            }
        });
        run("park", LockSupport::park);
        run("queueTake", () -> new LinkedBlockingQueue<>().take());
        run("processWaitFor", () -> {
            Process p = new ProcessBuilder("sleep", "60").start();
            try {
                p.waitFor();
            } finally {
                p.destroyForcibly();
            }
        });
        run("socketChannelRead", () -> {
            try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                c.read(ByteBuffer.allocate(16));
            }
        });
        run("serverChannelAccept", () -> {
            try (ServerSocketChannel s = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                s.accept();
            }
        });
        run("selectorSelect", () -> {
            try (Selector sel = Selector.open()) {
                sel.select();
            }
        });
        run("socketRead", () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), classic.getLocalPort())) {
                InputStream in = s.getInputStream();
                in.read();
            }
        });
        run("nativeSpin", () -> org.threadkill.testing.Victims.spin(21));
        System.out.println("main.returning=true");
    }

    private static void run(String name, Op op) throws Exception {
        Thread t = new Thread(() -> {
            try {
                op.block();
            } catch (Throwable e) {
                // the call ended: return
            }
        }, name);
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        // Blocked for real: not RUNNABLE in Java code any more (or in native code for the channel cases).
        Thread.sleep(300);
        while (System.nanoTime() < deadline && t.getState() == Thread.State.NEW) Thread.sleep(5);
        Hazards h = ThreadKill.inspect(t);
        KillResult r = ThreadKill.kill(t, KillMode.INTERRUPT, Duration.ofSeconds(1));
        System.out.println(name + "=" + h.verdict(KillMode.INTERRUPT).effect() + " " + r.outcome());
        System.out.flush();
    }
}
