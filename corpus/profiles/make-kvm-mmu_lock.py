#!/usr/bin/env python3
"""Write the seed case's `perf script` capture (../shared/corpus/seed README,
kvm-mmu_lock-contention): a KVM host whose %system spiked, recorded with
`perf record -g -a` on 4.4.0-119-generic and printed by `perf script`.

The figures are the field case's: 91% of samples in the spin lock
(_raw_spin_lock, with native_queued_spin_lock_slowpath under it), 78% of all
samples through ioctl -> kvm_vcpu_ioctl -> vcpu_enter_guest ->
vmx_handle_exit -> handle_ept_violation -> kvm_mmu_page_fault ->
tdp_page_fault, the other side of kvm->mmu_lock the slab shrinker's
mmu_shrink_scan (kswapd, and direct reclaim of the file-reading agent that
drained free memory), 2% on another lock, the rest guest entry, copies and
idle.

Format: builtin-script.c, perf_sample__fprintf_start() ("comm tid [cpu]
time: period event: ") and sample__fprintf_callchain() ("\\t%16lx
sym+off (dso)", innermost first), a blank line after each sample.

Deterministic: python3 make-kvm-mmu_lock.py | gzip -n9 > kvm-mmu_lock-contention.perf.gz
"""
import random

K = "[kernel.kallsyms]"
KVM, VMX = "[kvm]", "[kvm_intel]"
LIBC = "/lib/x86_64-linux-gnu/libc-2.23.so"
QEMU = "/usr/bin/qemu-system-x86_64"

SYMS = {  # name: (address, offset, dso)
    "native_queued_spin_lock_slowpath": (0xffffffff810ca9b0, 0x10, K),
    "_raw_spin_lock": (0xffffffff81855ce0, 0x21, K),
    "tdp_page_fault": (0xffffffffc0244240, 0x169, KVM),
    "kvm_mmu_page_fault": (0xffffffffc023d910, 0x2d, KVM),
    "handle_ept_violation": (0xffffffffc04179d0, 0xb1, VMX),
    "vmx_handle_exit": (0xffffffffc041e2c0, 0x1e6, VMX),
    "vcpu_enter_guest": (0xffffffffc0237240, 0x8df, KVM),
    "kvm_arch_vcpu_ioctl_run": (0xffffffffc023ecb0, 0x1b2, KVM),
    "kvm_vcpu_ioctl": (0xffffffffc0223cb0, 0x33d, KVM),
    "do_vfs_ioctl": (0xffffffff8121eac0, 0x29f, K),
    "sys_ioctl": (0xffffffff8121ef50, 0x79, K),
    "entry_SYSCALL_64_fastpath": (0xffffffff818553a0, 0x16, K),
    "ioctl": (0x7f3a5c2e8b70, 0x7, LIBC),
    "kvm_cpu_exec": (0x55d0c1a4e1c0, 0x98, QEMU),
    "qemu_kvm_cpu_thread_fn": (0x55d0c1a2d5f0, 0x60, QEMU),
    "mmu_shrink_scan": (0xffffffffc0238b30, 0xf1, KVM),
    "shrink_slab.part.40": (0xffffffff811a8840, 0x1f6, K),
    "shrink_zone": (0xffffffff811ac3f0, 0x2c9, K),
    "kswapd": (0xffffffff811ad1a0, 0x525, K),
    "kthread": (0xffffffff810a0730, 0xd8, K),
    "ret_from_fork": (0xffffffff81825d50, 0x3f, K),
    "do_try_to_free_pages": (0xffffffff811acd20, 0x1a9, K),
    "try_to_free_pages": (0xffffffff811ad050, 0xea, K),
    "__alloc_pages_nodemask": (0xffffffff8119ab70, 0x4c5, K),
    "alloc_pages_current": (0xffffffff811e6a80, 0x8c, K),
    "__page_cache_alloc": (0xffffffff8118f6b0, 0xab, K),
    "__do_page_cache_readahead": (0xffffffff8119e230, 0xf5, K),
    "ondemand_readahead": (0xffffffff8119e4a0, 0x1b8, K),
    "page_cache_async_readahead": (0xffffffff8119e6f0, 0x9b, K),
    "generic_file_read_iter": (0xffffffff81192480, 0x61f, K),
    "__vfs_read": (0xffffffff8120a9d0, 0xc1, K),
    "vfs_read": (0xffffffff8120b0f0, 0x86, K),
    "sys_read": (0xffffffff8120c170, 0x55, K),
    "read": (0x7f2b1c0ec4e0, 0x10, LIBC),
    "free_pcppages_bulk": (0xffffffff81197d10, 0x8b, K),
    "free_hot_cold_page": (0xffffffff8119a1e0, 0x11e, K),
    "__free_pages": (0xffffffff8119a3b0, 0x25, K),
    "kvm_release_pfn_clean": (0xffffffffc022a5b0, 0x1e, KVM),
    "vmx_vcpu_run": (0xffffffffc041a640, 0x5f4, VMX),
    "copy_user_enhanced_fast_string": (0xffffffff8140dd90, 0x5, K),
    "copy_page_to_iter": (0xffffffff81414cb0, 0x16d, K),
    "native_safe_halt": (0xffffffff81064b80, 0x6, K),
    "default_idle": (0xffffffff81037e20, 0x1e, K),
    "arch_cpu_idle": (0xffffffff810385a0, 0xf, K),
    "cpu_startup_entry": (0xffffffff810c4b00, 0x2d6, K),
    "start_secondary": (0xffffffff8105134e, 0x15e, K),
}

VCPU = ["kvm_vcpu_ioctl", "do_vfs_ioctl", "sys_ioctl", "entry_SYSCALL_64_fastpath",
        "ioctl", "kvm_cpu_exec", "qemu_kvm_cpu_thread_fn"]
FAULT = ["tdp_page_fault", "kvm_mmu_page_fault", "handle_ept_violation", "vmx_handle_exit",
         "vcpu_enter_guest", "kvm_arch_vcpu_ioctl_run"] + VCPU
READ = ["generic_file_read_iter", "__vfs_read", "vfs_read", "sys_read",
        "entry_SYSCALL_64_fastpath", "read"]
RECLAIM = ["mmu_shrink_scan", "shrink_slab.part.40", "shrink_zone"]

# (samples of 4000, comm, pids, stack innermost first)
CASES = [
    (2900, "qemu-system-x86", range(51800, 51832), ["_raw_spin_lock"] + FAULT),
    (220, "qemu-system-x86", range(51800, 51832),
     ["native_queued_spin_lock_slowpath", "_raw_spin_lock"] + FAULT),
    (280, "kswapd1", [211], ["_raw_spin_lock"] + RECLAIM + ["kswapd", "kthread", "ret_from_fork"]),
    (160, "backup-agent", [40233],
     ["_raw_spin_lock"] + RECLAIM + ["do_try_to_free_pages", "try_to_free_pages",
      "__alloc_pages_nodemask", "alloc_pages_current", "__page_cache_alloc",
      "__do_page_cache_readahead", "ondemand_readahead", "page_cache_async_readahead"] + READ),
    (80, "qemu-system-x86", range(51800, 51832),
     ["_raw_spin_lock", "free_pcppages_bulk", "free_hot_cold_page", "__free_pages",
      "kvm_release_pfn_clean", "tdp_page_fault"] + FAULT[1:]),
    (200, "qemu-system-x86", range(51800, 51832),
     ["vmx_vcpu_run", "vcpu_enter_guest", "kvm_arch_vcpu_ioctl_run"] + VCPU),
    (120, "backup-agent", [40233], ["copy_user_enhanced_fast_string", "copy_page_to_iter"] + READ),
    (40, "swapper", [0], ["native_safe_halt", "default_idle", "arch_cpu_idle",
                          "cpu_startup_entry", "start_secondary"]),
]


def main():
    rnd = random.Random(16)
    samples = []
    for n, comm, pids, stack in CASES:
        pids = list(pids)
        for _ in range(n):
            samples.append((comm, rnd.choice(pids), stack))
    rnd.shuffle(samples)
    t = 1220430.000000
    out = []
    for comm, pid, stack in samples:
        t += rnd.uniform(0.0001, 0.0049)
        cpu = rnd.randrange(48) if comm != "kswapd1" else 7
        sec, usec = int(t), int(round((t - int(t)) * 1e6)) % 1000000
        out.append("%s %5d [%03d] %5d.%06d: %10d cpu-clock:pppH: \n" %
                   (comm, pid, cpu, sec, usec, 250000))
        for name in stack:
            addr, off, dso = SYMS[name]
            if dso == QEMU:
                out.append("\t%16x [unknown] (%s)\n" % (addr + off, dso))
            else:
                out.append("\t%16x %s+0x%x (%s)\n" % (addr + off, name, off, dso))
        out.append("\n")
    print("".join(out), end="")


if __name__ == "__main__":
    main()
