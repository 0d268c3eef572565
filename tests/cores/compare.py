#!/usr/bin/env python3
"""compare.py KSIFT.json GDB.txt: every thread's functions, ksift against gdb.

ksift's frames are expanded the way gdb lists them: a frame's inline chain
(innermost first), then the frame's own function. gdb's tail-call frames are
left out: gdb rebuilds them from DWARF call-site information, which no
CFI unwinder (libunwind, eu-stack, systemd-coredump) can see. Names are
compared after glibc's __GI_ alias prefix and compiler suffixes (.cold,
.isra.N, ...) are removed; a signal trampoline is "<signal>" on both sides
and an unknown function "??". Exit 1 with the differences, 0 when every
thread agrees frame for frame.
"""
import json, re, sys

def clean(name):
    if not name or name == "??" or name == "n/a":
        return "??"
    if name == "__restore_rt":
        return "<signal>"
    name = name.split("@")[0]
    while name.startswith("__GI_"):
        name = name[5:]
    return re.sub(r"\.(cold|isra|part|constprop|lto_priv)(\.\d+)*$", "", name)

def ksift_threads(path):
    with open(path) as f:
        rec = json.loads(f.readline())
    out = {}
    for st in rec["stacks"]:
        names = []
        for fr in st["frames"]:
            for inl in fr.get("inlined", []):
                names.append(clean(inl["func"]))
            names.append(clean(fr["func"]))
        out[st["tid"]] = names
    return rec, out

def gdb_threads(path):
    out, cur = {}, None
    for line in open(path, errors="replace"):
        m = re.match(r"^thread (\d+)$", line)
        if m:
            cur = out.setdefault(int(m.group(1)), [])
            continue
        m = re.match(r"^(normal|inline|tailcall|sigtramp|\w+) (\S+) [0-9a-f]+$", line)
        if m and cur is not None:
            kind, name = m.groups()
            if kind == "tailcall":
                continue
            cur.append("<signal>" if kind == "sigtramp" else clean(name))
    return out

def main():
    rec, ours = ksift_threads(sys.argv[1])
    theirs = gdb_threads(sys.argv[2])
    bad = 0
    if set(ours) != set(theirs):
        print("threads differ: ksift %s, gdb %s" % (sorted(ours), sorted(theirs)))
        bad = 1
    frames = 0
    for tid in sorted(set(ours) & set(theirs)):
        a, b = ours[tid], theirs[tid]
        frames += len(a)
        if a != b:
            print("thread %d:\n  ksift: %s\n  gdb:   %s" % (tid, " ".join(a), " ".join(b)))
            bad = 1
    if not bad:
        print("%d threads, %d frames agree with gdb" % (len(ours), frames))
    sys.exit(bad)

main()
