package org.threadkill.bench;

/** The "promote the thread to a process" alternative: a JVM that says it is ready, then spins. */
public final class SpinChild {
    private SpinChild() {}

    static volatile long counter;

    public static void main(String[] args) {
        System.out.println("ready");
        System.out.flush();
        while (true) counter++;
    }
}
