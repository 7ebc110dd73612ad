#!/usr/bin/env python3
"""scripts/lab/modules.py - the .ko files to insmod, dependencies first.

Usage: modules.py MODDIR MODULE...

MODDIR is kroot/lib/modules/KVER of a kernel package unpacked with dpkg-deb -x.
The package ships no modules.dep (depmod runs at install time), so the
dependencies are read where depmod reads them: the "depends=" string of each
.ko's .modinfo ELF section.  Prints one path per line, relative to MODDIR, in an
order insmod accepts (every module after all it depends on), each once.  A
module built into the kernel (modules.builtin) needs no file and is left out.
Unknown module: one line on stderr, exit 1.
"""
import os
import struct
import sys


def modinfo(path):
    """The key=value strings of the ELF64 little-endian .modinfo section."""
    with open(path, "rb") as f:
        elf = f.read()
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError(f"{path}: not an ELF64 little-endian module")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)

    def section(i):
        # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size
        name, _, _, _, off, size = struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize)
        return name, off, size

    _, stroff, _ = section(shstrndx)
    for i in range(shnum):
        name, off, size = section(i)
        end = elf.index(b"\0", stroff + name)
        if elf[stroff + name:end] == b".modinfo":
            fields = {}
            for s in elf[off:off + size].split(b"\0"):
                key, sep, value = s.decode("utf-8", "replace").partition("=")
                if sep:
                    fields.setdefault(key, value)
            return fields
    return {}


def main(argv):
    if len(argv) < 3:
        print("usage: modules.py MODDIR MODULE...", file=sys.stderr)
        return 1
    moddir, wanted = argv[1], argv[2:]
    norm = lambda n: n.replace("-", "_")
    files = {}
    for root, _, names in os.walk(os.path.join(moddir, "kernel")):
        for n in names:
            if n.endswith(".ko"):
                files[norm(n[:-3])] = os.path.relpath(os.path.join(root, n), moddir)
    builtin = set()
    with open(os.path.join(moddir, "modules.builtin")) as f:
        for line in f:
            builtin.add(norm(os.path.basename(line.strip())[:-3]))

    order, seen = [], set()

    def visit(name, chain):
        name = norm(name)
        if name in seen or name in builtin:
            return
        if name in chain:
            raise ValueError(f"dependency cycle through {name}")
        if name not in files:
            raise ValueError(f"module {name}: not in {moddir} (neither a .ko nor built in)")
        deps = modinfo(os.path.join(moddir, files[name])).get("depends", "")
        for d in filter(None, deps.split(",")):
            visit(d, chain | {name})
        seen.add(name)
        order.append(files[name])

    try:
        for w in wanted:
            visit(w, frozenset())
    except (ValueError, OSError) as e:
        print(f"modules.py: {e}", file=sys.stderr)
        return 1
    print("\n".join(order))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
