"""Files the app writes for a person are written whole or not at all."""
import os
import stat

import pytest

from app.files import write_whole


def test_writes_the_bytes_readable_by_the_owner_only(tmp_path):
    target = write_whole(tmp_path / "record.pdf", b"%PDF-1.4 whole")
    assert target.read_bytes() == b"%PDF-1.4 whole"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["record.pdf"]


def test_a_failed_write_leaves_the_old_file_and_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "record.pdf"
    target.write_bytes(b"old copy")

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_whole(target, b"new copy")
    assert target.read_bytes() == b"old copy"
    assert [p.name for p in tmp_path.iterdir()] == ["record.pdf"]
