#!/usr/bin/env python3
"""Build the symbolize benchmark inputs from a real vmlinux and kvm.ko.

Writes into OUT: log (kernel-style frame lines, vmlinux frames with a KASLR
slide plus kvm frames), vmlinux.addrs and kvm.addrs (the same addresses for
the other tools: vmlinux link addresses, kvm .text offsets), and frames.tsv
(one line per frame: kind, address, log line number) for the comparison.
Deterministic: every k-th function symbol, offset a fixed fraction of its size.
"""
import subprocess, sys

def text_symbols(path, text_only_section=None):
    out = subprocess.run(["readelf", "-sW", path], capture_output=True,
                         text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        f = line.split()
        if len(f) < 8 or f[3] != "FUNC":
            continue
        size = int(f[2], 0) if f[2].startswith("0x") else int(f[2])
        if size < 4:
            continue
        if text_only_section is not None and f[6] != text_only_section:
            continue
        syms.append((f[7], int(f[1], 16), size))
    return syms

def text_index(path):
    out = subprocess.run(["readelf", "-SW", path], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        line = line.replace("[ ", "[")
        f = line.split()
        if len(f) > 2 and f[1] == ".text":
            return f[0].strip("[]")
    sys.exit("no .text in " + path)

def main():
    vmlinux, kvm, out, n_vm, n_kvm = sys.argv[1:6]
    n_vm, n_kvm = int(n_vm), int(n_kvm)
    slide = 0x1c000000
    vm = text_symbols(vmlinux)
    names = {}
    for name, _, _ in vm:
        names[name] = names.get(name, 0) + 1
    km = text_symbols(kvm, text_index(kvm))
    log = ["Linux version BENCH (bench@ksift) #1 SMP",
           "CPU: 0 PID: 1 Comm: bench Not tainted BENCH #1", "Call Trace:"]
    frames = []
    step = max(1, len(vm) // n_vm)
    for i in range(0, len(vm), step)[:n_vm]:
        name, addr, size = vm[i]
        off = (size * 5 // 11) & ~1
        a = addr + off
        log.append(" [<%016x>] %s+0x%x/0x%x" % (a + slide, name, off, size))
        frames.append(("vmlinux", a, len(log), names[name]))
    step = max(1, len(km) // n_kvm)
    for i in range(0, len(km), step)[:n_kvm]:
        name, addr, size = km[i]
        off = (size * 3 // 7) & ~1
        log.append(" %s+0x%x/0x%x [kvm]" % (name, off, size))
        frames.append(("kvm", addr + off, len(log), 1))
    with open(out + "/log", "w") as f:
        f.write("\n".join(log) + "\n")
    with open(out + "/vmlinux.addrs", "w") as f:
        f.writelines("0x%x\n" % a for k, a, _, _ in frames if k == "vmlinux")
    with open(out + "/kvm.addrs", "w") as f:
        f.writelines("0x%x\n" % a for k, a, _, _ in frames if k == "kvm")
    with open(out + "/frames.tsv", "w") as f:
        f.writelines("%s\t0x%x\t%d\t%d\n" % fr for fr in frames)
    print("%d vmlinux frames, %d kvm frames" %
          (sum(1 for f in frames if f[0] == "vmlinux"),
           sum(1 for f in frames if f[0] == "kvm")))

main()
