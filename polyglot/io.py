"""Writing files so that an error or a kill never leaves half a file behind.

Every file goes to a temp file in its own folder, is fsynced, then renamed over the target
with `os.replace`: a reader sees the old file or the new one, never a mix. `write_files`
stages a whole group before renaming any, so a command that writes several files changes
none of them when one cannot be written. A path that cannot be written -- a file where a
folder must go, a folder where a file must go, no permission, a full disk -- is a
`SpecError` naming that path, never a traceback; the `check_*` functions find the same
problems before a long job starts rather than after it.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from polyglot.errors import SpecError

Data = str | bytes


def write_atomic(path: str | os.PathLike, data: Data) -> None:
    """Write `data` to `path` (missing folders created), whole or not at all.

    Args:
        path: the file; its folder is created if missing.
        data: text (written as UTF-8) or bytes.

    Raises:
        SpecError: the path cannot be written; nothing is left behind.
    """
    write_files({path: data}, force=True)


def write_atomic_by(path: str | os.PathLike, write: Callable[[Path], None]) -> None:
    """Like `write_atomic`, for a library that writes files itself (safetensors): `write`
    fills a temp file next to `path`, which is then fsynced and renamed over `path`.

    Raises:
        SpecError: the path cannot be written; nothing is left behind.
    """
    path = check_new_file(path, force=True)
    make_dirs(path.parent)
    tmp = _stage(path, b"")
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _os_error("cannot write", err, path) from err
        raise


def write_files(files: Mapping[str | os.PathLike, Data], *, force: bool = False) -> list[Path]:
    """Write several files so that either all of them change or none does.

    Every file is staged as a temp file next to its target first; only when all are
    staged are they renamed into place. A failure while staging removes the temp files
    and any folder this call created.

    Args:
        files: path -> text (written as UTF-8) or bytes.
        force: replace files that already exist; without it, any existing target is an
            error and nothing is written.

    Returns:
        The paths written, in the order given.

    Raises:
        SpecError: a target exists (without `force`) or is a folder, or cannot be written.
    """
    targets = dict(zip(check_new_files(files, force=force), files.values()))
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []  # (temp file, target)
    try:
        for path, data in targets.items():
            created += make_dirs(path.parent)
            staged.append((_stage(path, data), path))
    except BaseException:
        _discard(staged, created)
        raise
    for i, (tmp, path) in enumerate(staged):
        try:
            os.replace(tmp, path)
        except BaseException as err:
            _discard(staged[i:], [])
            if isinstance(err, OSError):
                raise _os_error("cannot write", err, path) from err
            raise
    return list(targets)


def check_new_files(paths: Iterable[str | os.PathLike], *, force: bool = False) -> list[Path]:
    """Fail now, before any work, if some of `paths` could not be written later.

    Args:
        paths: the files a command will write together (`write_files`).
        force: existing files may be replaced.

    Returns:
        The paths as `Path` objects, in the order given.

    Raises:
        SpecError: a path is a folder or has a file in the way, or (without `force`)
            some already exist -- all of those are named.
    """
    targets = [check_new_file(p, force=True) for p in paths]
    existing = sorted(str(p) for p in targets if _exists(p))
    if existing and not force:
        raise SpecError(f"refusing to overwrite {len(existing)} existing file(s): "
                        + ", ".join(existing[:5]) + (" ..." if len(existing) > 5 else ""),
                        hint="pass --force to overwrite")
    return targets


def make_dirs(folder: str | os.PathLike) -> list[Path]:
    """Create `folder` and its missing parents.

    Returns:
        The folders created, outermost first (empty when `folder` existed).

    Raises:
        SpecError: a file is in the way, or a folder cannot be created.
    """
    folder = Path(folder)
    blocker = _file_in_the_way(folder)
    if blocker is not None:
        raise SpecError("cannot create a folder here: a file is in the way", file=str(folder),
                        found=f"file {blocker}")
    missing = []
    for parent in (folder, *folder.parents):
        if parent.is_dir():
            break
        missing.append(parent)
    created: list[Path] = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue  # made by someone else meanwhile
        except OSError as err:
            _remove_empty(created)
            raise _os_error("cannot create folder", err, path) from err
        created.append(path)
    return created


def check_new_file(path: str | os.PathLike, *, force: bool = False) -> Path:
    """Fail now, before any work, if `path` could not be written later.

    Args:
        path: a file to be written.
        force: an existing file may be replaced.

    Returns:
        `path` as a `Path`.

    Raises:
        SpecError: `path` is a folder, a file is in the way of its folder, or it exists
            (without `force`).
    """
    path = Path(path)
    if path.is_dir():
        raise SpecError("is a folder, not a file", file=str(path))
    blocker = _file_in_the_way(path.parent)
    if blocker is not None:
        raise SpecError("cannot write here: a file is in the way", file=str(path),
                        found=f"file {blocker}")
    if _exists(path) and not force:
        raise SpecError("already exists", file=str(path), hint="pass --force to overwrite")
    return path


def check_out_dir(folder: str | os.PathLike, *, must_be_empty: bool) -> Path:
    """Fail now, before any work, if `folder` could not take a command's output.

    Args:
        folder: the output folder (it may not exist yet).
        must_be_empty: an existing folder that holds anything is an error.

    Returns:
        `folder` as a `Path`.

    Raises:
        SpecError: `folder` is a file, a file is in the way, or it is not empty.
    """
    folder = Path(folder)
    blocker = _file_in_the_way(folder)
    if blocker == folder:
        raise SpecError("is a file, not a folder", file=str(folder))
    if blocker is not None:
        raise SpecError("cannot create a folder here: a file is in the way", file=str(folder),
                        found=f"file {blocker}")
    if must_be_empty and folder.is_dir() and any(folder.iterdir()):
        raise SpecError("output folder is not empty", file=str(folder),
                        hint="pass --force to overwrite")
    return folder


def _stage(path: Path, data: Data) -> Path:
    """`data` in a temp file next to `path` (same file system, so the rename is atomic)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise _os_error("cannot write", err, path) from err
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would hide the file from other users
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _os_error("cannot write", err, path) from err
        raise
    return Path(tmp)


def _exists(path: Path) -> bool:
    try:
        return path.exists() or path.is_symlink()
    except OSError:  # e.g. no permission to look: writing will say why
        return False


def _file_in_the_way(folder: Path) -> Path | None:
    """The first existing non-folder on the way from the root down to `folder`, if any."""
    for path in (*reversed(folder.parents), folder):
        try:
            if not path.exists():
                return None
        except OSError:
            return None
        if not path.is_dir():
            return path
    return None


def _discard(staged: list[tuple[Path, Path]], created: list[Path]) -> None:
    """Undo a `write_files` that did not finish: its temp files, then its new folders."""
    for tmp, _ in staged:
        tmp.unlink(missing_ok=True)
    _remove_empty(created)


def _remove_empty(folders: list[Path]) -> None:
    """Remove folders this module created, innermost first, where still empty."""
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            pass


def _os_error(what: str, err: OSError, path: Path) -> SpecError:
    return SpecError(f"{what}: {err.strerror or err}", file=str(path))
