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
        elif cur is not None and re.search(r":(\d+|\?)( \(discriminator \d+\))?$", line):
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
    kinds = {}
    def classify(want, got):
        if not got:
            return "ksift left unresolved (ambiguous name, no address)"
        if any("?" in w for w in want):
            return "addr2line has no line (??/?)"
        lines = lambda l: [x.rsplit(":", 1)[-1] for x in l]
        if lines(want) == lines(got):
            return "same line numbers, other file (file index: ksift = llvm-symbolizer = eu-addr2line?)"
        if got[:len(want)] == want or want[:len(got)] == got:
            return "one inline chain is a prefix of the other"
        return "other"
    for kind, addr, lineno, dups in frames:
        want = next(a2l[kind])
        m = re.search(r"\(([^()]*)\)$", lines[int(lineno) - 1])
        got = m.group(1).split(" ") if m else []
        if got == want:
            same += 1
        elif not got and all("?" in w for w in want):
            same += 1	# neither has line info
            kinds["no line info in either (counted as agreeing)"] = \
                kinds.get("no line info in either (counted as agreeing)", 0) + 1
        else:
            k = classify(want, got)
            kinds[k] = kinds.get(k, 0) + 1
            diffs.append("%s %s dups=%s\n  addr2line: %s\n  ksift:     %s\n" %
                         (kind, addr, dups.strip(), " ".join(want), " ".join(got)))
    with open(out + "/diff.txt", "w") as f:
        f.writelines(diffs)
    for k, n in sorted(kinds.items(), key=lambda x: -x[1]):
        print("  %6d  %s" % (n, k))
    print("agreement with addr2line -i: %d/%d = %.2f%% (differences in %s/diff.txt)"
          % (same, len(frames), 100.0 * same / len(frames), out))

main()
