#!/usr/bin/env python3
"""mangle.py HOW IN OUT: a hostile copy of an x86_64 ELF core, for tests/cores.sh.

HOW is one of:
  notes-cut      the file ends in the middle of the notes
  descsz-lie     the first note claims 0xfffffff0 bytes
  file-count     NT_FILE claims 2**60 mappings
  phnum-xnum     e_phnum is PN_XNUM and there is no section header to say more
  seg-past-eof   every PT_LOAD but the first starts past the end of the file
  loop           the crashing thread's saved frame pointer and return address
                 point at themselves (a frame-pointer build's core)
  threads10k     10,000 NT_PRSTATUS notes (copies of the first, new thread ids)
  sparse50g      one segment becomes 50 GiB of holes at the end of the file
"""
import struct, sys

def phdrs(d):
    phoff, = struct.unpack_from("<Q", d, 32)
    phnum, = struct.unpack_from("<H", d, 56)
    return [(phoff + 56 * i,) + struct.unpack_from("<IIQQQQQQ", d, phoff + 56 * i)
            for i in range(phnum)]

def notes(d):
    """(offset of header, type, desc offset, descsz) of every note."""
    out = []
    for at, typ, _f, off, _va, _pa, filesz, _m, _al in phdrs(d):
        if typ != 4:
            continue
        pos = off
        while pos + 12 <= off + filesz:
            namesz, descsz, ntype = struct.unpack_from("<III", d, pos)
            desc = pos + 12 + ((namesz + 3) & ~3)
            out.append((pos, ntype, desc, descsz))
            pos = desc + ((descsz + 3) & ~3)
    return out

def read_mem(d, addr, n):
    for _at, typ, _f, off, va, _pa, filesz, _m, _al in phdrs(d):
        if typ == 1 and va <= addr < va + filesz:
            return off + addr - va
    raise SystemExit("address %#x not in the core" % addr)

def main():
    how, src, dst = sys.argv[1:4]
    d = bytearray(open(src, "rb").read())
    if how == "notes-cut":
        note = [p for p in phdrs(d) if p[1] == 4][0]
        d = d[:note[3] + note[6] // 2]
    elif how == "descsz-lie":
        struct.pack_into("<I", d, notes(d)[0][0] + 4, 0xfffffff0)
    elif how == "file-count":
        n = [x for x in notes(d) if x[1] == 0x46494c45][0]
        struct.pack_into("<Q", d, n[2], 1 << 60)
    elif how == "phnum-xnum":
        struct.pack_into("<H", d, 56, 0xffff)
        struct.pack_into("<Q", d, 40, 0)		# e_shoff: none
    elif how == "seg-past-eof":
        loads = [p for p in phdrs(d) if p[1] == 1]
        for p in loads[1:]:
            struct.pack_into("<Q", d, p[0] + 8, len(d) + 4096)
    elif how == "loop":
        pr = [x for x in notes(d) if x[1] == 1][0]
        regs = pr[2] + 112
        rbp, = struct.unpack_from("<Q", d, regs + 8 * 4)
        rip, = struct.unpack_from("<Q", d, regs + 8 * 16)
        at = read_mem(d, rbp, 16)
        struct.pack_into("<QQ", d, at, rbp, rip)
    elif how == "threads10k":
        note = [p for p in phdrs(d) if p[1] == 4][0]
        blob = bytearray(d[note[3]:note[3] + note[6]])
        pr = [x for x in notes(d) if x[1] == 1][0]
        one = d[pr[0]:pr[2] + ((pr[3] + 3) & ~3)]
        for i in range(9999):
            c = bytearray(one)
            struct.pack_into("<i", c, pr[2] - pr[0] + 32, 100000 + i)
            blob += c
        struct.pack_into("<QQQ", d, note[0] + 8, len(d), 0, 0)	# p_offset, (p_vaddr, p_paddr)
        struct.pack_into("<QQ", d, note[0] + 32, len(blob), 0)	# p_filesz, p_memsz
        d += blob
    elif how == "sparse50g":
        loads = [p for p in phdrs(d) if p[1] == 1]
        p = loads[1]
        size = 50 << 30
        struct.pack_into("<Q", d, p[0] + 8, len(d))
        struct.pack_into("<QQ", d, p[0] + 32, size, size)
        with open(dst, "wb") as f:
            f.write(d)
            f.truncate(len(d) + size)
        return
    else:
        raise SystemExit("unknown mangling " + how)
    open(dst, "wb").write(d)

main()
