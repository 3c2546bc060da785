"""The Python alternatives of the benchmark (run by org.threadkill.bench.Bench, one run).

Prints one line per measurement, `c <cell> <ns>`, and `i <key> <value>` facts:
- py_async_exc_caught / py_async_exc_joined: ctypes.pythonapi.PyThreadState_SetAsyncExc against a
  thread spinning in Python bytecode; from the call to the except block in the victim / to join().
- py_async_exc_sleeping: the same against a thread in time.sleep (expected: never within the wait).
- py_mp_start / py_mp_terminate: multiprocessing (fork): start -> child running; terminate -> joined.
Times are time.perf_counter_ns(), CLOCK_MONOTONIC on Linux, as System.nanoTime() in the JVM.
"""
import ctypes
import multiprocessing
import sys
import threading
import time


class Killed(Exception):
    pass


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def set_async_exc(thread):
    n = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(Killed))
    if n != 1:
        raise RuntimeError("PyThreadState_SetAsyncExc affected %d threads" % n)


def spinner(ready, caught):
    try:
        ready.set()
        x = 0
        while True:
            x += 1
    except Killed:
        caught.append(time.perf_counter_ns())


def sleeper(ready, caught):
    try:
        ready.set()
        time.sleep(3600)
    except Killed:
        caught.append(time.perf_counter_ns())


def one_async_exc(target, wait_s):
    ready = threading.Event()
    caught = []
    t = threading.Thread(target=target, args=(ready, caught), daemon=True)
    t.start()
    ready.wait()
    time.sleep(0.001)  # let it settle into its loop / sleep
    t0 = time.perf_counter_ns()
    set_async_exc(t)
    t.join(wait_s)
    t1 = time.perf_counter_ns()
    return (caught[0] - t0 if caught else -1), (t1 - t0 if not t.is_alive() else -1)


def mp_child(ev):
    ev.set()
    x = 0
    while True:
        x += 1


def main():
    n = int(sys.argv[1])
    n_mp = int(sys.argv[2])
    sleep_tries = int(sys.argv[3])
    out("i python %s" % sys.version.split()[0])
    for i in range(n + 10):
        caught, joined = one_async_exc(spinner, 2.0)
        if i >= 10:
            out("c py_async_exc_caught %d" % caught)
            out("c py_async_exc_joined %d" % joined)
    for _ in range(sleep_tries):
        caught, joined = one_async_exc(sleeper, 1.0)
        out("c py_async_exc_sleeping %d" % caught)
    ctx = multiprocessing.get_context("fork")
    for _ in range(n_mp):
        ev = ctx.Event()
        p = ctx.Process(target=mp_child, args=(ev,), daemon=True)
        t0 = time.perf_counter_ns()
        p.start()
        ev.wait()
        t1 = time.perf_counter_ns()
        p.terminate()
        p.join()
        t2 = time.perf_counter_ns()
        out("c py_mp_start %d" % (t1 - t0))
        out("c py_mp_terminate %d" % (t2 - t1))
    out("done")


if __name__ == "__main__":
    main()
