# gdb -x gdb-frames.py PROG CORE: every thread's frames as "TYPE NAME PC" lines
# (TYPE: normal, inline, tailcall, sigtramp), for tests/cores.sh.
import gdb
kinds = {gdb.NORMAL_FRAME: "normal", gdb.INLINE_FRAME: "inline", gdb.TAILCALL_FRAME: "tailcall",
         gdb.SIGTRAMP_FRAME: "sigtramp", gdb.DUMMY_FRAME: "dummy", gdb.ARCH_FRAME: "arch"}
for inf in gdb.inferiors():
    for th in sorted(inf.threads(), key=lambda t: t.num):
        th.switch()
        print("thread %d" % th.ptid[1])
        f = gdb.newest_frame()
        while f is not None:
            print("%s %s %x" % (kinds.get(f.type(), "other"), f.name() or "??", f.pc()))
            try:
                f = f.older()
            except gdb.error:
                break
