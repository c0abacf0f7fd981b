"""polyglot.io: a file is replaced whole or not at all."""
import pytest

from polyglot.errors import SpecError
from polyglot.io import write_atomic, write_atomic_by


def test_write_atomic_by_replaces_whole(tmp_path):
    target = tmp_path / "sub" / "model.bin"
    write_atomic_by(target, lambda tmp: tmp.write_bytes(b"new weights"))
    assert target.read_bytes() == b"new weights"
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.bin"]


def test_write_atomic_by_failure_keeps_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "model.bin"
    target.write_bytes(b"old")

    def crash(tmp):
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic_by(target, crash)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.bin"]


def test_write_atomic_into_a_file_is_a_located_error(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with pytest.raises(SpecError) as err:
        write_atomic(blocker / "out.txt", "data")
    assert err.value.message == "cannot write here: a file is in the way"
    assert blocker.read_text() == "x"
