"""The Python alternatives of the benchmark (run by org.threadkill.bench.Bench, one run).

Prints one line per measurement, `c <cell> <ns>`, and `i <key> <value>` facts:
- py_async_exc_caught / py_async_exc_joined: ctypes.pythonapi.PyThreadState_SetAsyncExc against a
  thread spinning in Python bytecode; from the call to the except block in the victim / to join().
- py_async_exc_sleeping: the same against a thread in time.sleep (expected: never within the wait).
- py_mp_start / py_mp_terminate: multiprocessing (fork): start -> child running; terminate -> joined.
- Deadlines (issue 11), the classic answer 2 as a call with a timeout (func_timeout / stopit do the
  same): the call runs on a new helper thread, the caller joins it with the timeout, and when the
  timeout passes raises PyThreadState_SetAsyncExc in it, waits up to a grace for it to end, and
  raises its own TimedOut.
  py_plain_call: the task called directly; py_handoff: the task handed to one waiting worker thread
  (queue.Queue there and back), the least any "run it elsewhere" answer costs; py_deadline_call:
  answer 2 with a timeout that does not fire (each call timed alone).
  py_deadline_fire: answer 2 against a task spinning in Python bytecode: from the deadline (the
  caller's clock before the call, plus the timeout) to the caller holding TimedOut (fact
  py_deadline_fire_stopped: how many helper threads had ended by then; one that had not is waited
  for before the next try). The caller waits for the GIL, which a spinning thread gives up every switch interval
  (fact py_switch_interval_ms).
Arguments: async-exception tries, multiprocessing tries, sleep tries, deadline calls, deadline
fires, the fire's timeout ms and grace ms.
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


class TimedOut(Exception):
    pass


def call_with_timeout(fn, timeout_s, grace_s):
    """Answer 2: fn() on a helper thread; past timeout_s an async exception there, then TimedOut."""
    box = []

    def run():
        try:
            box.append((True, fn()))
        except BaseException as e:  # the async Killed too: it ends the helper thread quietly
            box.append((False, e))

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout_s)
    if t.is_alive():
        set_async_exc(t)
        t.join(grace_s)
        raise TimedOut(not t.is_alive(), t)
    ok, value = box[0]
    if ok:
        return value
    raise value


def tiny():
    return 42


def endless():
    x = 0
    while True:
        x += 1


def handoff_worker(inbox, outbox):
    while True:
        fn = inbox.get()
        outbox.put(fn())


def deadlines(calls, fires, timeout_ms, grace_ms):
    import queue
    perf = time.perf_counter_ns
    out("i py_switch_interval_ms %g" % (sys.getswitchinterval() * 1000))
    for i in range(calls + calls // 10):
        t0 = perf()
        tiny()
        t1 = perf()
        if i >= calls // 10:
            out("c py_plain_call %d" % (t1 - t0))
    inbox, outbox = queue.Queue(), queue.Queue()
    threading.Thread(target=handoff_worker, args=(inbox, outbox), daemon=True).start()
    for i in range(calls + calls // 10):
        t0 = perf()
        inbox.put(tiny)
        outbox.get()
        t1 = perf()
        if i >= calls // 10:
            out("c py_handoff %d" % (t1 - t0))
    for i in range(calls + calls // 10):
        t0 = perf()
        call_with_timeout(tiny, 10.0, grace_ms / 1000.0)
        t1 = perf()
        if i >= calls // 10:
            out("c py_deadline_call %d" % (t1 - t0))
    timeout_s = timeout_ms / 1000.0
    stopped_count = tried = 0
    for i in range(fires + 3):
        t0 = perf()
        try:
            call_with_timeout(endless, timeout_s, grace_ms / 1000.0)
            raise RuntimeError("a task that never ends returned")
        except TimedOut as e:
            t1 = perf()
            stopped, helper = e.args
        if i >= 3:
            out("c py_deadline_fire %d" % (t1 - t0 - timeout_ms * 1_000_000))
            stopped_count += 1 if stopped else 0
            tried += 1
        if not stopped:
            # The exception is pending and lands when the helper next holds the GIL: wait for that,
            # so that no spinning helper disturbs the next try; give up if it never comes.
            helper.join(5.0)
            if helper.is_alive():
                out("i py_deadline_fire_note a helper thread did not end within 5 s of its async exception")
                break
    out("i py_deadline_fire_stopped %d of %d" % (stopped_count, tried))


def main():
    n = int(sys.argv[1])
    n_mp = int(sys.argv[2])
    sleep_tries = int(sys.argv[3])
    dl_calls, dl_fires = int(sys.argv[4]), int(sys.argv[5])
    dl_timeout_ms, dl_grace_ms = int(sys.argv[6]), int(sys.argv[7])
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
    deadlines(dl_calls, dl_fires, dl_timeout_ms, dl_grace_ms)
    out("done")


if __name__ == "__main__":
    main()
