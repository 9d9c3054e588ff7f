#!/usr/bin/env python3
"""Build the initramfs: a "newc" cpio archive (the format of Linux's
initramfs and of `cpio -o -H newc`), read by kernel/fs/initramfs.c.

    mkinitramfs.py OUT [--dir PATH]... [--symlink PATH=TARGET]... [PATH=HOSTFILE]...

PATH is the name inside the archive (no leading slash). Parent directories
are added automatically. Entries are sorted, owned by root and dated 0, so
the same inputs always give the same bytes.
"""
import os
import stat
import sys

TRAILER = "TRAILER!!!"


def header(ino, mode, nlink, size, name, rdev=(0, 0)):
    """The 110-byte newc header: magic, then 13 fields of 8 hex digits
    (rdev: a device node's major and minor)."""
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, *rdev, len(name) + 1, 0]
    return b"070701" + "".join("%08X" % f for f in fields).encode()


def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def member(ino, mode, name, data=b"", rdev=(0, 0)):
    nlink = 2 if stat.S_ISDIR(mode) else 1
    head = pad4(header(ino, mode, nlink, len(data), name, rdev) + name.encode() + b"\0")
    return head + pad4(data)


def archive(entries):
    """The archive of entries {path: (mode, data) or (mode, data, (major,
    minor))}, parent directories added, sorted, padded to 512 bytes."""
    entries = dict(entries)
    for path in list(entries):
        parent = os.path.dirname(path)
        while parent and parent not in entries:
            entries[parent] = (stat.S_IFDIR | 0o755, b"")
            parent = os.path.dirname(parent)
    blob = b"".join(member(i + 1, e[0], path, *e[1:])
                    for i, (path, e) in enumerate(sorted(entries.items())))
    blob += member(0, 0, TRAILER)
    return blob + b"\0" * (-len(blob) % 512)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    out, entries = argv[1], {}
    args = iter(argv[2:])
    for arg in args:
        if arg == "--dir":
            entries[next(args).strip("/")] = (stat.S_IFDIR | 0o755, b"")
        elif arg == "--symlink":
            path, target = next(args).split("=", 1)
            entries[path.strip("/")] = (stat.S_IFLNK | 0o777, target.encode())
        else:
            path, host = arg.split("=", 1)
            with open(host, "rb") as f:
                data = f.read()
            perm = os.stat(host).st_mode & 0o7777
            entries[path.strip("/")] = (stat.S_IFREG | perm, data)
    blob = archive(entries)
    with open(out + ".tmp", "wb") as f:
        f.write(blob)
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main(sys.argv)
