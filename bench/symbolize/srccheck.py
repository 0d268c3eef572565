#!/usr/bin/env python3
"""Which tool is right where addr2line and ksift name other files for the
same line numbers: look at the kernel source.

srccheck.py OUT TARBALL: OUT/file-only.tsv (from compare.py: kind, address,
addr2line's list, ksift's list, addr2line's function names) and the kernel
source tarball of the same version (linux-source-X.Y.tar.xz). For each
position where the two lists name other files, addr2line's function name
for that position (FUNC) is looked for in both files at that line:
  - "line past the end of the file": the file has fewer lines, impossible;
  - "inside FUNC": FUNC's definition is the nearest one above the line;
  - "macro generating FUNC": the line (or the next) invokes a macro whose
    arguments name FUNC (TRACE_EVENT(name, …) generates trace_*_name, …);
  - "no evidence" otherwise.
Prints the count of each (addr2line verdict, ksift verdict) pair and writes
OUT/srccheck.txt with every case.
"""
import collections, os, re, subprocess, sys, tempfile

def main():
    out, tarball = sys.argv[1], sys.argv[2]
    cases = []
    for line in open(out + "/file-only.tsv"):
        kind, addr, want, got, funcs = line.rstrip("\n").split("\t")
        want, got, funcs = want.split(" "), got.split(" "), funcs.split(" ")
        for i, (w, g) in enumerate(zip(want, got)):
            if w != g:
                cases.append((kind, addr, funcs[i] if i < len(funcs) else "?", w, g))
    if not cases:
        print("source check: nothing to check")
        return
    # Debian's linux-source-X.Y.tar.xz unpacks into linux-source-X.Y/.
    top = os.path.basename(tarball).split(".tar")[0]
    paths = sorted({os.path.normpath(x.rsplit(":", 1)[0])
                    for c in cases for x in c[3:]})
    tmp = tempfile.mkdtemp(prefix="ksift-srccheck.")
    with open(tmp + "/list", "w") as f:
        f.writelines("%s/%s\n" % (top, p) for p in paths)
    # Files a tool names that the tarball lacks are simply missing below.
    subprocess.run(["tar", "-xJf", tarball, "-C", tmp, "--ignore-failed-read",
                    "-T", tmp + "/list"], stderr=subprocess.DEVNULL)
    cache = {}

    def lines_of(path):
        path = os.path.normpath(path)
        if path not in cache:
            try:
                cache[path] = open("%s/%s/%s" % (tmp, top, path),
                                   errors="replace").read().split("\n")
            except OSError:
                cache[path] = None
        return cache[path]

    def verdict(loc, func):
        path, n = loc.rsplit(":", 1)
        lines = lines_of(path)
        if lines is None or not n.isdigit():
            return "source file not in the tarball"
        n = int(n)
        if n > len(lines) or n < 1:
            return "line past the end of the file"
        call = re.compile(r"\b" + re.escape(func) + r"\s*\(")
        for k in range(n - 1, max(-1, n - 400), -1):
            s = lines[k]
            if call.search(s) and not s.rstrip().endswith(";"):
                return "inside FUNC"
            if k < n - 1 and s.startswith("}"):
                break
        text = " ".join(lines[n - 1:n + 1])
        m = re.match(r"\s*[A-Z_][A-Z0-9_]*\s*\((.*)", text)
        if m and any(len(w) >= 4 and w in func
                     for w in re.findall(r"\w+", m.group(1))):
            return "macro generating FUNC"
        return "no evidence"

    counts = collections.Counter()
    # A frame is settled for ksift when at every differing position the
    # source supports ksift's file and not addr2line's.
    settled = {}
    with open(out + "/srccheck.txt", "w") as f:
        for kind, addr, func, w, g in cases:
            vw, vg = verdict(w, func), verdict(g, func)
            counts[(vw, vg)] += 1
            ok = vg in ("inside FUNC", "macro generating FUNC") and \
                vw in ("line past the end of the file", "no evidence")
            settled[(kind, addr)] = settled.get((kind, addr), True) and ok
            f.write("%s %s %s\n  addr2line %s: %s\n  ksift     %s: %s\n" %
                    (kind, addr, func, w, vw, g, vg))
    subprocess.run(["rm", "-rf", tmp])
    print("source check of the %d file names that differ (%s):" %
          (len(cases), os.path.basename(tarball)))
    for (vw, vg), c in counts.most_common():
        print("  %6d  addr2line: %-30s ksift: %s" % (c, vw, vg))
    print("  (every case in %s/srccheck.txt)" % out)
    agree, total = map(int, open(out + "/agreement").read().split())
    right = sum(1 for v in settled.values() if v)
    print("frames where the source shows ksift's file right and addr2line's "
          "not: %d of %d" % (right, len(settled)))
    print("agreement with addr2line -i, those counted for ksift: "
          "%d/%d = %.2f%%" % (agree + right, total,
                              100.0 * (agree + right) / total))

main()
