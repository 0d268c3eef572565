#!/usr/bin/env python3
"""check-layering: the folders of ksift depend on each other one way.

    cli -> output -> scan -> {signatures, symbols} -> incident -> ingest -> lib

A file may include headers of its own folder and of any folder below it;
`signatures` and `symbols` stand side by side and may not include each other.
Headers named *_impl.h are private to their folder. With --objects BUILDDIR
it also reads the built object files (nm) and fails when two files call each
other: a pair of files that needs each other is one module, or two with the
wrong cut.

Exit status: 0 clean, 1 a violation (each printed as FILE:LINE: message),
2 usage error.
"""
import os
import re
import subprocess
import sys

# Lowest first. Folders on one level must not include each other.
LAYERS = [
    ["analyzer/lib"],
    ["analyzer/ingest"],
    ["analyzer/incident"],
    ["signatures", "symbols"],
    ["analyzer/scan"],
    ["analyzer/output"],
    ["analyzer/cli"],
]
LEVEL = {folder: i for i, layer in enumerate(LAYERS) for folder in layer}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def sources(top):
    for folder in LEVEL:
        path = os.path.join(top, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            if name.endswith((".c", ".h")):
                yield folder, name


def check_includes(top):
    owner = {}
    for folder, name in sources(top):
        if name.endswith(".h"):
            if name in owner:
                print(f"{folder}/{name}: header name also in {owner[name]}/ "
                      "(names must be unique: every folder is on the include path)")
                return 1
            owner[name] = folder
    bad = 0
    for folder, name in sources(top):
        path = os.path.join(top, folder, name)
        with open(path, encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                inc = os.path.basename(m.group(1))
                target = owner.get(inc)
                if target is None or target == folder:
                    continue  # config.h, generated files, own folder
                where = f"{folder}/{name}:{lineno}"
                if inc.endswith("_impl.h"):
                    print(f"{where}: {inc} is private to {target}/")
                    bad += 1
                elif LEVEL[target] >= LEVEL[folder]:
                    print(f"{where}: {folder}/ may not include {target}/{inc} "
                          f"(layers, lowest first: "
                          f"{' -> '.join('|'.join(l) for l in LAYERS)})")
                    bad += 1
    return 1 if bad else 0


def nm_symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRCGSV":
            defined.add(parts[2])
    return defined, undefined


def check_objects(build):
    objs = {}
    for folder in LEVEL:
        path = os.path.join(build, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            if name.endswith(".o"):
                # automake names objects PREFIX-FILE.o; the file is what counts
                src = name.rsplit("-", 1)[-1][:-2]
                objs[f"{folder}/{src}.c"] = nm_symbols(os.path.join(path, name))
    definer = {}
    for src, (defined, _) in objs.items():
        for sym in defined:
            definer.setdefault(sym, src)
    calls = {src: {definer[s] for s in und if s in definer and definer[s] != src}
             for src, (_, und) in objs.items()}
    bad = 0
    for a in sorted(calls):
        for b in sorted(calls[a]):
            if a < b and a in calls.get(b, ()):
                print(f"{a}: calls {b}, which calls it back")
                bad += 1
    return 1 if bad else 0


def main(argv):
    top = os.path.dirname(os.path.dirname(os.path.abspath(argv[0])))
    build = None
    args = argv[1:]
    while args:
        if args[0] == "--objects" and len(args) > 1:
            build = args[1]
            args = args[2:]
        elif args[0] == "--top" and len(args) > 1:
            top = args[1]
            args = args[2:]
        else:
            print("usage: check-layering.py [--top SRCDIR] [--objects BUILDDIR]",
                  file=sys.stderr)
            return 2
    status = check_includes(top)
    if build:
        status |= check_objects(build)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
