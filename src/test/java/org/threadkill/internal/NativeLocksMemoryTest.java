package org.threadkill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** NativeLocks.memoryOf on made-up /proc/self/maps lines: which mapping a futex lies in. */
class NativeLocksMemoryTest {
    private static final List<String> MAPS = List.of(
            "7f0000000000-7f0000001000 r-xp 00000000 08:01 1 /usr/lib/libfoo.so",
            "7f0000001000-7f0000002000 rw-p 00001000 08:01 1 /usr/lib/libfoo.so",
            "7f0000002000-7f0000003000 rw-p 00000000 00:00 0",
            "7f0003fff000-7f0004000000 rw-p 00001000 08:01 2 /usr/lib/libbar.so",
            "7f0004000000-7f0008000000 rw-p 00000000 00:00 0");

    @Test
    void anAnonymousMappingRightAfterALibrarysDataIsItsBss() {
        assertEquals("libfoo.so (its static data)", NativeLocks.memoryOf(MAPS, 0x7f0000002010L));
    }

    @Test
    void butNotWhenItStartsWhereGlibcPutsItsArenas() {
        assertEquals("anonymous memory (a malloc arena or an mmap)", NativeLocks.memoryOf(MAPS, 0x7f0004000100L));
    }

    @Test
    void aLibraryMappingIsNamed() {
        assertEquals("libbar.so", NativeLocks.memoryOf(MAPS, 0x7f0003fff100L));
    }
}
