#!/usr/bin/env python3
"""Agreement of `ksift symbolize` with `addr2line -a -i` and with
`llvm-symbolizer --inlining` (an independent implementation), per frame.

compare.py OUT COMPDIR...: reads OUT/ksift.out (text output), OUT/frames.tsv,
OUT/a2l-{vmlinux,kvm}.out and OUT/llvm-{vmlinux,kvm}.out; prints both
agreements with the differences classified, writes the frames that differ
from addr2line to OUT/diff.txt (one "kind address" line, then the three
lists) and the addresses of those that differ only in file names to
OUT/file-only.tsv for srccheck.py.
"""
import re, sys

def norm(path, compdirs):
    path = re.sub(r" \(discriminator \d+\)$", "", path.strip())
    for c in compdirs:
        if c and path.startswith(c + "/"):
            path = path[len(c) + 1:]
            break
    while path.startswith("./"):
        path = path[2:]
    # llvm-symbolizer joins directory and name with one '/', binutils and
    # libdw keep a directory's trailing '/': the same file.
    return re.sub(r"/+", "/", path)

def read_a2l(path, compdirs, funcs=None):
    """addr2line -a -i -f: the address, then (function, file:line) pairs.
    The function names go to funcs (one list per address) when given."""
    groups, cur, func = [], None, None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if re.match(r"^0x[0-9a-f]+$", line):
            cur = []
            groups.append(cur)
            if funcs is not None:
                func = []
                funcs.append(func)
        elif cur is not None and re.search(r":(\d+|\?)( \(discriminator \d+\))?$", line):
            cur.append(norm(line, compdirs))
        elif func is not None:
            func.append(line)
    return groups

def read_llvm(path, compdirs):
    """llvm-symbolizer --inlining: (function, file:line:column) pairs, a
    blank line after each address; "??:0:0" when it has no line."""
    groups, cur = [], []
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if not line:
            groups.append(cur)
            cur = []
            continue
        m = re.match(r"^(.*):(\d+):(\d+)$", line)
        if m:
            if m.group(1) == "??" and m.group(2) == "0":
                cur.append("??:0")
            else:
                cur.append(norm(m.group(1) + ":" + m.group(2), compdirs))
    if cur:
        groups.append(cur)
    return groups

def no_line(lst):
    """addr2line prints FILE:? and llvm-symbolizer FILE:0 for line 0."""
    return all("?" in x or x.endswith(":0") for x in lst)

def same(got, want):
    """Equal lists, or neither tool has a line (ksift leaves the frame)."""
    return got == want or (not got and no_line(want))

def main():
    out = sys.argv[1]
    compdirs = sys.argv[2:]
    frames = [l.rstrip("\n").split("\t") for l in open(out + "/frames.tsv")]
    a2l_funcs = {"vmlinux": [], "kvm": []}
    a2l = {k: iter(read_a2l("%s/a2l-%s.out" % (out, k), compdirs, a2l_funcs[k]))
           for k in ("vmlinux", "kvm")}
    funcs = {k: iter(v) for k, v in a2l_funcs.items()}
    llvm = {k: iter(read_llvm("%s/llvm-%s.out" % (out, k), compdirs))
            for k in ("vmlinux", "kvm")}
    lines = open(out + "/ksift.out", errors="replace").read().split("\n")
    agree_a2l = agree_llvm = 0
    kinds_a2l, kinds_llvm = {}, {}
    diffs, file_only = [], []

    def count(kinds, k):
        kinds[k] = kinds.get(k, 0) + 1

    def file_names_only(want, got):
        lineno = lambda l: [x.rsplit(":", 1)[-1] for x in l]
        return len(want) == len(got) and lineno(want) == lineno(got)

    for kind, addr, lineno, dups in frames:
        want = next(a2l[kind])
        want_funcs = next(funcs[kind])
        ref = next(llvm[kind])
        m = re.search(r"\(([^()]*)\)$", lines[int(lineno) - 1])
        got = [norm(x, compdirs) for x in m.group(1).split(" ")] if m else []
        if same(got, want):
            agree_a2l += 1
        else:
            if not got:
                k = "ksift left it unresolved (static name shared by "\
                    "functions of that size, no address printed)"
            elif file_names_only(want, got):
                k = "same line numbers, other file names"
                if got == ref:
                    k += " (ksift = llvm-symbolizer)"
                file_only.append("%s\t%s\t%s\t%s\t%s\n" %
                                 (kind, addr, " ".join(want), " ".join(got),
                                  " ".join(want_funcs)))
            elif got[:len(want)] == want or want[:len(got)] == got:
                k = "one inline chain is a prefix of the other"
            else:
                k = "other"
            count(kinds_a2l, k)
            diffs.append("%s %s dups=%s\n  addr2line:       %s\n"
                         "  llvm-symbolizer: %s\n  ksift:           %s\n" %
                         (kind, addr, dups, " ".join(want), " ".join(ref),
                          " ".join(got)))
        if same(got, ref):
            agree_llvm += 1
        elif not got:
            count(kinds_llvm, "ksift left it unresolved")
        elif file_names_only(ref, got):
            count(kinds_llvm, "same line numbers, other file names")
        else:
            count(kinds_llvm, "other")
    with open(out + "/agreement", "w") as f:
        f.write("%d %d\n" % (agree_a2l, len(frames)))
    with open(out + "/diff.txt", "w") as f:
        f.writelines(diffs)
    with open(out + "/file-only.tsv", "w") as f:
        f.writelines(file_only)
    n = len(frames)
    print("agreement with addr2line -i (binutils):   %d/%d = %.2f%%"
          % (agree_a2l, n, 100.0 * agree_a2l / n))
    for k, c in sorted(kinds_a2l.items(), key=lambda x: -x[1]):
        print("  %6d  %s" % (c, k))
    print("agreement with llvm-symbolizer --inlining: %d/%d = %.2f%%"
          % (agree_llvm, n, 100.0 * agree_llvm / n))
    for k, c in sorted(kinds_llvm.items(), key=lambda x: -x[1]):
        print("  %6d  %s" % (c, k))
    print("(frames with no line in either tool count as agreeing; "
          "differences in %s/diff.txt)" % out)

main()
