"""Hostile programs, each with the status it must end in and a check that the host is
unchanged. Every attack runs under limits of one or two seconds.

What is claimed, precisely:
- processes: a run cannot have more than `Limits.processes` processes, and none of
  them outlives the run (started as root: the run has a uid of its own);
- files: a run cannot change or delete files it does not own, cannot read files that
  only their owner may read, and what it leaves in /tmp is deleted (as root);
- network: no connection succeeds, not even to the host's loopback (a network namespace);
- home: the run's HOME is its own fresh directory, never the caller's.
"""
import os
import resource
import secrets
import shutil
import signal
import socket
import tempfile
import textwrap
from pathlib import Path

import pytest

from polyglot.execute.sandbox import Limits, isolation, run

PY = shutil.which("python3", path="/usr/bin:/bin") or "python3"
SHORT = Limits(wall_s=1.5)

needs_own_uid = pytest.mark.skipif(
    not isolation().own_uid, reason="only a run started as root gets a uid of its own")
needs_netns = pytest.mark.skipif(
    not isolation().network, reason="this machine forbids network namespaces")


def py(source: str, limits: Limits = SHORT):
    return run([PY, "attack.py"], {"attack.py": textwrap.dedent(source)}, limits=limits)


def processes_of(uid: int) -> list[int]:
    """Live processes whose real uid is `uid`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields["Uid"].split()[0]) == uid and not fields["State"].strip().startswith("Z"):
            found.append(int(pid))
    return found


@needs_own_uid
def test_process_limit_binds():
    result = py("""
        import os, time
        forked = 0
        try:
            while True:
                if os.fork() == 0:
                    time.sleep(30)
                    os._exit(0)
                forked += 1
        except OSError as err:
            print(forked, err.errno)
    """, limits=Limits(wall_s=5, processes=8))
    # Eight processes in all: the program and seven children; then EAGAIN (11).
    assert (result.status, result.stdout) == ("passed", "7 11\n")
    assert processes_of(result.uid) == []


@needs_own_uid
def test_fork_bomb_is_contained_and_cleaned_up():
    result = py("""
        import os, time
        while True:
            try:
                os.fork()
            except OSError:
                time.sleep(0.01)
    """, limits=Limits(wall_s=1.5, processes=16))
    assert (result.status, result.reason) == ("timed_out", "wall_time")
    assert processes_of(result.uid) == []


def test_infinite_loop_hits_the_cpu_limit():
    result = py("while True: pass", limits=Limits(wall_s=10, cpu_s=1))
    assert (result.status, result.reason, result.returncode) == \
        ("timed_out", "cpu_time", -signal.SIGXCPU)


def test_sleeping_forever_hits_the_wall_clock():
    result = py("import time; time.sleep(3600)", limits=Limits(wall_s=1))
    assert (result.status, result.reason) == ("timed_out", "wall_time")


def test_ten_gigabytes_cannot_be_allocated():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = py("""
        try:
            block = bytearray(10 * 2**30)
        except MemoryError:
            print('MemoryError')
        chunks = []
        while True:  # 64 MiB at a time, touched, until the limit stops it
            chunks.append(b'x' * (64 << 20))
    """, limits=Limits(wall_s=5, memory_bytes=512 << 20))
    assert (result.status, result.reason, result.returncode) == ("failed", "exit", 1)
    assert result.stdout == "MemoryError\n"
    assert result.stderr.rstrip().endswith("MemoryError")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB


@pytest.fixture
def public_sentinel():
    """A file anyone may read but only its owner may change, in a folder anyone may
    enter: the hardest case for 'cannot change files it does not own'."""
    folder = Path(tempfile.mkdtemp(prefix="polyglot-sentinel-"))
    folder.chmod(0o755)
    sentinel = folder / "sentinel.txt"
    sentinel.write_text("original\n")
    sentinel.chmod(0o644)
    yield sentinel
    shutil.rmtree(folder)


ATTACK_FILES = """
    import os, sys
    path = sys.argv[1]
    for name, attack in [('read', lambda: open(path).read()),
                         ('write', lambda: open(path, 'a').write('pwned')),
                         ('delete', lambda: os.remove(path)),
                         ('rename', lambda: os.rename(path, path + '.moved')),
                         ('chmod', lambda: os.chmod(path, 0o777)),
                         ('create', lambda: open(path + '.new', 'w').write('x'))]:
        try:
            attack()
            print(name, 'done')
        except OSError as err:
            print(name, type(err).__name__)
"""


@needs_own_uid
def test_files_outside_cannot_be_changed(tmp_path, public_sentinel):
    private = tmp_path / "sentinel.txt"
    private.write_text("original\n")
    for sentinel, readable in ((private, False), (public_sentinel, True)):
        stat_before = sentinel.stat()
        result = run([PY, "attack.py", str(sentinel)], {"attack.py": textwrap.dedent(ATTACK_FILES)},
                     limits=SHORT)
        read = "read done" if readable else "read PermissionError"
        assert result.stdout.splitlines() == [read] + [
            f"{name} PermissionError" for name in ("write", "delete", "rename", "chmod", "create")]
        assert sentinel.read_text() == "original\n"
        assert sentinel.stat().st_mtime_ns == stat_before.st_mtime_ns
        assert sentinel.stat().st_mode == stat_before.st_mode
        assert sorted(p.name for p in sentinel.parent.iterdir()) == ["sentinel.txt"]


@needs_own_uid
def test_files_left_in_shared_tmp_are_deleted():
    name = f"/tmp/polyglot-attack-{secrets.token_hex(8)}"
    result = py(f"""
        import os
        open({name!r}, 'w').write('left behind')
        os.makedirs({name + '.d/sub'!r})
        print(os.path.exists({name!r}))
    """)
    assert (result.status, result.stdout) == ("passed", "True\n")
    assert not os.path.exists(name) and not os.path.exists(name + ".d")


@needs_netns
def test_no_connection_to_the_host_loopback():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        port = server.getsockname()[1]
        result = py(f"""
            import socket
            s = socket.socket()
            s.settimeout(1)
            print(s.connect_ex(('127.0.0.1', {port})))
        """)
        with pytest.raises(BlockingIOError):
            server.accept()
    assert (result.status, result.stdout, result.network_isolated) == ("passed", "101\n", True)


@needs_netns
def test_no_route_to_the_outside():
    # 192.0.2.1 is TEST-NET-1: never routed. Inside the namespace no interface is up,
    # so connect() fails at once with ENETUNREACH (101) and no packet is sent.
    result = py("""
        import socket
        s = socket.socket()
        s.settimeout(1)
        print(s.connect_ex(('192.0.2.1', 80)))
        print(socket.if_nameindex())
    """)
    assert (result.status, result.stdout) == ("passed", "101\n[(1, 'lo')]\n")


def test_a_gigabyte_of_output_is_not_buffered():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = py("""
        import sys
        block = b'x' * (1 << 20)
        for _ in range(1024):
            sys.stdout.buffer.write(block)
    """, limits=Limits(wall_s=20, output_bytes=1 << 16))
    assert (result.status, len(result.stdout), result.stdout_truncated) == ("passed", 1 << 16, True)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB


def test_home_is_the_run_directory():
    result = py("""
        import os
        print(os.path.expanduser('~') == os.getcwd(), os.environ['HOME'] == os.getcwd())
    """)
    assert result.stdout == "True True\n"
    assert Path.home() != Path(result.stdout)


@needs_own_uid
def test_private_file_in_the_real_home_cannot_be_read():
    secret = secrets.token_hex(16)
    with tempfile.NamedTemporaryFile("w", dir=Path.home(), prefix=".polyglot-sentinel-") as f:
        f.write(secret)
        f.flush()
        os.chmod(f.name, 0o600)
        result = py(f"""
            try:
                print(open({f.name!r}).read())
            except OSError as err:
                print(type(err).__name__)
        """)
    assert result.stdout == "PermissionError\n"
    assert secret not in result.stdout + result.stderr
