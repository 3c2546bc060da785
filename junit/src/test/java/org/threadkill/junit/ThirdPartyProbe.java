package org.threadkill.junit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.threadkill.KillResult;
import org.threadkill.ThreadKill;
import org.threadkill.run.Deadline;
import org.threadkill.run.DeadlineExceededException;

/**
 * Child-JVM program for {@link ThirdPartyTest}: the deadline against code it has never seen
 * (sqlite-jdbc running a runaway recursive query, JNA calls stuck in libc), then a probe of what
 * the stop left behind. Prints {@code key=value} lines.
 */
public final class ThirdPartyProbe {
    private ThirdPartyProbe() {}

    /** Counts forever: a recursive CTE with no end, all CPU, no memory growth. */
    static final String RUNAWAY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

    public interface CLib extends Library {
        CLib C = Native.load("c", CLib.class);

        int sleep(int seconds);

        int pipe(int[] fds);

        long read(int fd, byte[] buf, long n);

        int getpid();
    }

    static Deadline deadline() {
        return Deadline.of(Duration.ofSeconds(1)).grace(Duration.ofMillis(250));
    }

    public static void main(String[] args) throws Exception {
        say("probe.started", args[0]);
        Deadline.of(Duration.ofSeconds(5)).call(() -> null);   // the run layer warms the library up
        // JNA's and sqlite-jdbc's first calls load and initialise classes (over a second on a loaded
        // machine): done before the deadline'd calls, so that those are stuck where they claim to be.
        if (args[0].startsWith("JNA")) say("warm.pid", Integer.toString(CLib.C.getpid()));
        else DriverManager.getConnection("jdbc:sqlite::memory:").close();
        Thread.sleep(1500);
        switch (args[0]) {
            case "SQLITE": sqlite(false); break;
            case "SQLITE_CANCEL": sqlite(true); break;
            case "JNA_SLEEP": jnaSleep(); break;
            case "JNA_READ": jnaRead(); break;
            default: throw new IllegalArgumentException(args[0]);
        }
        say("tainted", Boolean.toString(ThreadKill.isTainted()));
        say("probe.done", "true");
        System.out.flush();
        System.exit(0);
    }

    static void sqlite(boolean cancel) throws Exception {
        Connection conn = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement stmt = conn.createStatement();
        Deadline d = cancel ? deadline().cancelWith(() -> {
            try {
                stmt.cancel();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }) : deadline();
        timed("query", d, () -> {
            try (ResultSet rs = stmt.executeQuery(RUNAWAY)) {
                rs.next();
                return rs.getLong(1);
            }
        });
        // What is left: the same connection, and a new one. Bounded: an empty ladder only abandons.
        Deadline probe = Deadline.of(Duration.ofSeconds(3)).withoutKilling();
        timed("sameConnection", probe, () -> {
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        timed("newConnection", probe, () -> {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 2")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    static void jnaSleep() throws Exception {
        timed("sleep", deadline(), () -> CLib.C.sleep(3));
        Thread.sleep(3500);   // without the opt-in the abandoned sleep returns meanwhile
        timed("afterwards", Deadline.of(Duration.ofSeconds(3)).withoutKilling(), () -> CLib.C.getpid());
    }

    static void jnaRead() throws Exception {
        int[] fds = new int[2];
        if (CLib.C.pipe(fds) != 0) throw new IllegalStateException("pipe failed");
        timed("read", deadline(), () -> CLib.C.read(fds[0], new byte[1], 1));
        timed("afterwards", Deadline.of(Duration.ofSeconds(3)).withoutKilling(), () -> CLib.C.getpid());
    }

    static void timed(String key, Deadline d, Callable<Object> task) {
        long t0 = System.nanoTime();
        try {
            say(key + ".value", String.valueOf(d.call(task)));
        } catch (DeadlineExceededException e) {
            say(key + ".message", e.getMessage());
            KillResult k = e.killResult();
            say(key + ".steps", k == null ? "none" : k.escalation().steps().stream()
                    .map(s -> s.mode() + ":" + s.outcome()).collect(Collectors.joining(",")));
            say(key + ".outcome", e.cancelSufficed() ? "CANCELLED" : e.threadLost() ? "FROZEN"
                    : e.taskMayStillRun() ? "ABANDONED" : "STOPPED_BY_" + e.stoppedBy());
            say(key + ".cause", e.getCause() == null ? "null" : e.getCause().toString());
            say(key + ".held", k == null ? "[]" : k.held().toString());
        } catch (Exception e) {
            say(key + ".failed", e.toString());
        }
        say(key + ".ms", Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
    }

    static void say(String key, String value) {
        synchronized (System.out) {
            System.out.println(key + "=" + value.replace('\n', ' '));
        }
    }
}
