"""Expanding the paths a user gave into the files to read, reporting what cannot be reached.

Folders are walked recursively in sorted order (so results are deterministic), symbolic
links are followed, and hidden entries (names starting with ".") inside folders are skipped
silently: they are editor, VCS and OS litter (``.git``, ``.DS_Store``), not articles. A path
the user names explicitly is read even if it is hidden.

Links are followed but never in circles: a directory that is its own ancestor (a link back
up the tree) and a link that resolves to itself (``a -> b -> a``) are each reported once.
A file or folder reachable by two routes is read once.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from rag.types import Problem

_Key = tuple[int, int]  # (device, inode): what a file is, whatever path reached it

LOOP = "symbolic link loop"


def _os_reason(exc: OSError, path: Path) -> str:
    """An OSError from reaching ``path`` in words a user can act on."""
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            return f"broken symbolic link (it points to {os.readlink(path)!r}, which does not exist); fix or remove it"
        return "no such file or directory; check the path"
    if exc.errno == errno.ELOOP:
        return f"{LOOP} (the link leads back to itself); fix or remove it"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; check the permissions of the file or folder"
    return f"cannot access it: {exc.strerror or exc}"


def iter_files(paths: Sequence[str | os.PathLike[str]]) -> Iterator[Path | Problem]:
    """Yield each regular file to read, in order, and a :class:`Problem` for each path that fails.

    Lazily, so that progress reporting and reading interleave with walking a large tree.
    """
    seen_files: set[_Key] = set()
    walked_dirs: set[_Key] = set()
    reported_loops: set[str] = set()
    for raw in paths:
        # A stack of (path, keys of the directories above it); children are pushed reversed so
        # that they come off in sorted order.
        stack: list[tuple[Path, frozenset[_Key]]] = [(Path(raw).expanduser(), frozenset())]  # "~/news" works too
        while stack:
            path, ancestors = stack.pop()
            try:
                info = path.stat()  # follows symbolic links
            except OSError as exc:
                yield Problem(str(path), _os_reason(exc, path))
                continue
            key = (info.st_dev, info.st_ino)
            if stat.S_ISDIR(info.st_mode):
                if key in ancestors:
                    # Name the looping link by where it really is, so a loop reached by two
                    # routes is reported once.
                    real_link = os.path.join(os.path.realpath(path.parent), path.name)
                    if real_link not in reported_loops:
                        reported_loops.add(real_link)
                        yield Problem(str(path), f"{LOOP} (it leads back to a folder above it); fix or remove the link")
                    continue
                if key in walked_dirs:
                    continue  # reached again through another link: its files were already yielded
                walked_dirs.add(key)
                try:
                    with os.scandir(path) as entries:
                        children = sorted(entry.name for entry in entries)
                except OSError as exc:
                    yield Problem(str(path), _os_reason(exc, path))
                    continue
                below = ancestors | {key}
                for name in reversed(children):
                    if not name.startswith("."):
                        stack.append((path / name, below))
            elif stat.S_ISREG(info.st_mode):
                if key not in seen_files:
                    seen_files.add(key)
                    yield path
            else:
                yield Problem(str(path), "not a regular file (a device, pipe or socket); only files and folders are read")
