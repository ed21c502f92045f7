"""Writing a file whole or not at all.

Used for every file the app writes for a person (PDFs, CSVs, record bundles): the bytes go to a
temporary file beside the target, are flushed to the disk, and the temporary file is renamed over the
target in one step. On any failure the temporary file is removed and the OSError raised, so a full disk
or a read-only folder never leaves half a file and an existing file is left as it was. The file is
readable by its owner only (these files hold sensitive records). Callers turn the OSError into words
for their audience.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_whole(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` whole or not at all; returns the path. Raises OSError on failure."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    if os.name != "posix":
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
