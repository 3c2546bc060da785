package org.threadkill.consequences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the OS says about this process, from /proc: a thread's state, the open descriptors. */
public final class Proc {
    private Proc() {}

    /** The kernel's state letter of a thread of this process, or null when the OS no longer has it. */
    public static String osState(int tid) {
        if (tid <= 0) return "?";
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            int p = stat.lastIndexOf(')');
            return stat.substring(p + 2, p + 3);
        } catch (IOException e) {
            return null;
        }
    }

    /** Open file descriptors of this process. */
    public static List<String> openFds() {
        List<String> fds = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            s.forEach(p -> {
                try {
                    Path target = Files.readSymbolicLink(p);
                    // the listing's own directory descriptor is not one of ours
                    if (!target.toString().equals("/proc/" + ProcessHandle.current().pid() + "/fd")) {
                        fds.add(p.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return fds;
    }
}
