#!/usr/bin/env python3
"""make-core-seeds.py DIR: small x86_64 ELF cores for fuzz-core's seed corpus.

Laid out as fs/binfmt_elf.c writes them: the ELF header, a PT_NOTE with
NT_PRSTATUS (per thread), NT_PRPSINFO, NT_SIGINFO, NT_AUXV and NT_FILE, then
PT_LOAD segments (a stack holding a frame-pointer chain and the initial
stack's argv/auxv, and a text mapping left out of the core).
"""
import os, struct, sys

def note(t, desc):
    d = struct.pack("<III", 5, len(desc), t) + b"CORE\0\0\0\0" + desc
    return d + b"\0" * (-len(d) % 4)

def prstatus(tid, rip, rsp, rbp):
    regs = [0] * 27
    regs[4], regs[16], regs[19] = rbp, rip, rsp
    d = bytearray(336)
    struct.pack_into("<h", d, 12, 11)
    struct.pack_into("<i", d, 32, tid)
    struct.pack_into("<27Q", d, 112, *regs)
    return note(1, bytes(d))

def core(threads, stack_base, stack, maps):
    notes = b"".join(prstatus(*t) for t in threads)
    ps = bytearray(136)
    struct.pack_into("<i", ps, 24, threads[0][0])
    ps[40:44] = b"prog"
    ps[56:66] = b"prog --run"
    notes += note(3, bytes(ps))
    si = struct.pack("<iii4xQ", 11, 0, 1, 0x10) + b"\0" * 104
    notes += note(0x53494749, si)
    notes += note(6, struct.pack("<6Q", 33, 0, 31, stack_base + len(stack) - 16, 0, 0))
    fn = struct.pack("<QQ", len(maps), 4096)
    fn += b"".join(struct.pack("<QQQ", s, e, o) for s, e, o, _ in maps)
    fn += b"".join(p.encode() + b"\0" for *_r, p in maps)
    notes += note(0x46494c45, fn)
    loads = [(stack_base, stack, len(stack))] + [(s, b"", e - s) for s, e, _o, _p in maps]
    phoff = 64
    off = phoff + 56 * (1 + len(loads))
    ph = struct.pack("<IIQQQQQQ", 4, 0, off, 0, 0, len(notes), 0, 0)
    body = notes
    off += len(notes)
    for va, data, memsz in loads:
        pad = -off % 4096
        body += b"\0" * pad
        off += pad
        ph += struct.pack("<IIQQQQQQ", 1, 6, off, va, 0, len(data), memsz, 4096)
        body += data
        off += len(data)
    eh = b"\x7fELF\x02\x01\x01" + b"\0" * 9 + struct.pack("<HHIQQQIHHHHHH",
        4, 62, 1, 0, phoff, 0, 0, 64, 56, 1 + len(loads), 0, 0, 0)
    return eh + ph + body

def main():
    out = sys.argv[1]
    base = 0x7ffd00000000
    stack = bytearray(0x2000)
    # a frame-pointer chain: rbp → [saved rbp, return address]
    for i in range(4):
        at = 0x100 + 0x40 * i
        struct.pack_into("<QQ", stack, at, base + at + 0x40, 0x401000 + 0x10 * i)
    stack[0x1f00:0x1f0c] = b"/usr/bin/prog"[:12]
    maps = [(0x400000, 0x402000, 0, "/usr/bin/prog"),
            (0x7f0000000000, 0x7f0000003000, 0, "/lib/x86_64-linux-gnu/libc.so.6")]
    seeds = {
        "one-thread": core([(100, 0x401234, base + 0xf0, base + 0x100)], base, bytes(stack), maps),
        "threads": core([(100 + i, 0x401234 + i, base + 0xf0, base + 0x100) for i in range(5)],
                        base, bytes(stack), maps),
        "no-maps": core([(7, 0, base + 0x10, 0)], base, bytes(stack[:0x1000]), []),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

main()
