#!/usr/bin/env python3
"""Agreement of `ksift symbolize` with `addr2line -a -i` per frame.

compare.py OUT VMLINUX_COMPDIR KVM_COMPDIR: reads OUT/ksift.out (text output),
OUT/frames.tsv, OUT/a2l-vmlinux.out and OUT/a2l-kvm.out; prints the agreement
and writes the differing frames to OUT/diff.txt.
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
    return path

def read_a2l(path, compdirs):
    groups, cur = [], None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if re.match(r"^0x[0-9a-f]+$", line):
            cur = []
            groups.append(cur)
        elif cur is not None:
            cur.append(norm(line, compdirs))
    return groups

def main():
    out = sys.argv[1]
    compdirs = sys.argv[2:]
    frames = [l.split("\t") for l in open(out + "/frames.tsv")]
    a2l = {"vmlinux": iter(read_a2l(out + "/a2l-vmlinux.out", compdirs)),
           "kvm": iter(read_a2l(out + "/a2l-kvm.out", compdirs))}
    lines = open(out + "/ksift.out", errors="replace").read().split("\n")
    same = 0
    diffs = []
    for kind, addr, lineno, dups in frames:
        want = next(a2l[kind])
        m = re.search(r"\(([^()]*)\)$", lines[int(lineno) - 1])
        got = m.group(1).split(" ") if m else []
        if got == want:
            same += 1
        else:
            diffs.append("%s %s dups=%s\n  addr2line: %s\n  ksift:     %s\n" %
                         (kind, addr, dups.strip(), " ".join(want), " ".join(got)))
    with open(out + "/diff.txt", "w") as f:
        f.writelines(diffs)
    print("agreement with addr2line -i: %d/%d = %.2f%% (differences in %s/diff.txt)"
          % (same, len(frames), 100.0 * same / len(frames), out))

main()
