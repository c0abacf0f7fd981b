"""Run untrusted programs: a fresh directory, resource limits, no network, a uid of its own.

Generated code is run to score it (pass@k) and to verify translations, so it must not be
able to hurt the machine that runs it. Each layer below exists because the one before it
is not enough on its own:

- a fresh temp directory as cwd, HOME and TMPDIR, deleted afterwards, and an environment
  of PATH, HOME, TMPDIR and LANG only (no inherited secrets);
- rlimits set by util-linux ``prlimit`` right before exec (CPU seconds, address space,
  processes, file size, open files, no core dumps), so no ``preexec_fn`` runs in a
  process that may have threads;
- when started as root, the program runs as an unprivileged uid of its own
  (``UID_BASE`` + the temp dir's inode, unique while the run lasts). That is what makes
  ``RLIMIT_NPROC`` bind -- the kernel never applies it to root -- so a fork bomb stops
  at ``Limits.processes``; it keeps the program out of files it does not own (the user's
  home, the rest of the tree); and it makes clean-up exact: afterwards every process of
  that uid is killed (``kill -KILL -1`` as that uid, which the kernel applies atomically
  against fork), and whatever that uid left at the top of the shared temp directories
  (/tmp, /var/tmp, /dev/shm) is deleted;
- a network namespace of its own (``unshare --net``; an unprivileged user namespace as
  well when not root), holding only a loopback interface that is down: no connection,
  not even to 127.0.0.1, is possible. Whether the machine allows it is probed once per
  process and reported in every result as ``network_isolated``.

Not root: the program runs as the calling user inside a user namespace, where
``RLIMIT_NPROC`` counts only its own processes; it can still read and write whatever the
calling user can, and a process that calls setsid() can outlive the run.

Example:
    >>> from polyglot.execute.sandbox import Limits, run
    >>> result = run(["python3", "main.py"], {"main.py": "print(6 * 7)"},
    ...              limits=Limits(wall_s=2))
    >>> result.status, result.stdout
    ('passed', '42\\n')
"""
from __future__ import annotations

import functools
import math
import os
import selectors
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from polyglot.errors import SpecError

GiB = 1 << 30
MiB = 1 << 20

# Sandbox uids are UID_BASE + (inode of the run's temp dir) % UID_SPAN: far above any uid a
# system hands out, and distinct for runs that exist at the same time.
UID_BASE = 1 << 30
UID_SPAN = 1 << 30

# Directories any uid may write into; clean-up deletes what the sandbox uid left there.
SHARED_TEMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")

STATUSES = ("passed", "failed", "timed_out", "sandbox_error")

# How long to wait for the pipes to close after every process is dead.
_DRAIN_GRACE_S = 1.0
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """What one step may use. ``None`` lifts a limit.

    JVM, Go and V8 reserve far more address space than they touch: their packs should
    lift ``memory_bytes`` and cap the heap with the runtime's own flag instead. Threads
    count as processes for ``RLIMIT_NPROC``.
    """

    wall_s: float = 10.0                     # wall-clock seconds, then the whole run is killed
    cpu_s: float | None = None               # CPU seconds per process (rounded up); None: wall_s
    memory_bytes: int | None = 2 * GiB       # RLIMIT_AS, per process
    processes: int | None = 64               # RLIMIT_NPROC: processes + threads of the run
    file_bytes: int | None = 64 * MiB        # RLIMIT_FSIZE: largest file it may write
    open_files: int | None = 256             # RLIMIT_NOFILE
    output_bytes: int = 1 * MiB              # kept per stream; the rest is read and dropped

    def prlimit_args(self) -> list[str]:
        """The ``prlimit`` options that set these limits (soft:hard)."""
        cpu = math.ceil(self.cpu_s if self.cpu_s is not None else self.wall_s)
        # Soft before hard, so a CPU overrun ends in SIGXCPU, which names the cause.
        args = [f"--cpu={cpu}:{cpu + 1}", "--core=0:0"]
        for flag, value in (("--as", self.memory_bytes), ("--nproc", self.processes),
                            ("--fsize", self.file_bytes), ("--nofile", self.open_files)):
            if value is not None:
                args.append(f"{flag}={value}:{value}")
        return args


@dataclass
class ExecResult:
    """What happened to one run.

    ``status`` is one of "passed" (exit 0), "failed", "timed_out", "sandbox_error" (the
    harness, not the program, is at fault: a command that cannot be executed, a file that
    cannot be written). ``reason`` says why it did not pass: "exit" (non-zero exit code),
    "signal" (killed by a signal), "file_size" (wrote past ``file_bytes``), "compile" (a
    build step of ``run_program`` did not pass), "wall_time", "cpu_time", "exec", "setup";
    it is "" when passed.
    """

    status: str
    reason: str
    returncode: int | None        # negative: killed by that signal
    stdout: str
    stderr: str
    wall_s: float
    cpu_s: float
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    network_isolated: bool = False
    uid: int | None = None        # the run's own uid, when it had one (started as root)
    step: int = 0                 # index of the command that produced this result

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Isolation:
    """What this machine lets the sandbox do; probed once per process by `isolation()`."""

    own_uid: bool    # started as root: each run gets an unprivileged uid of its own
    network: bool    # `unshare --net` works, as root or inside a user namespace
    prlimit: bool    # util-linux prlimit is on PATH

    def prefix(self, uid: int | None) -> list[str]:
        """The argv that enters a fresh network namespace and, as root, drops to `uid`."""
        if not self.network:
            return []
        if uid is None:
            return ["unshare", "--map-current-user", "--net", "--"]
        return ["unshare", "--net", f"--setgid={uid}", f"--setuid={uid}", "--"]


@functools.cache
def isolation() -> Isolation:
    """Probe once which isolation this machine allows (namespaces may be forbidden, e.g.
    by a container's seccomp profile); the answer cannot change while the process lives."""
    own_uid = os.geteuid() == 0 and shutil.which("kill") is not None
    probe = Isolation(own_uid=own_uid, network=True, prlimit=True)
    try:
        done = subprocess.run(probe.prefix(UID_BASE if own_uid else None) + ["true"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=10, env=_base_env("/"))
        network = done.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        network = False
    return Isolation(own_uid=own_uid, network=network, prlimit=shutil.which("prlimit") is not None)


def expand_commands(templates: Sequence[Sequence[str]], values: Mapping[str, str]
                    ) -> list[list[str]]:
    """Fill ``{name}`` placeholders in a language pack's toolchain commands.

    Args:
        templates: argv lists such as ``[["rustc", "{source}", "-o", "{exe}"], ["./{exe}"]]``.
        values: what each placeholder stands for, e.g. ``{"source": "main.rs", "exe": "main"}``.
            ``{dir}`` (the run's directory) is left for `run_program` to fill.

    Returns:
        The argv lists with every placeholder replaced.

    Raises:
        SpecError: a template names a placeholder that `values` does not define.
    """
    known = {**values, "dir": "{dir}"}
    out = []
    for template in templates:
        argv = []
        for arg in template:
            try:
                argv.append(arg.format_map(known))
            except (KeyError, ValueError, IndexError) as err:
                raise SpecError(f"bad placeholder in command argument {arg!r}",
                                expected="one of " + ", ".join(f"{{{k}}}" for k in sorted(known)),
                                found=str(err), hint="write {{ and }} for literal braces") from None
        out.append(argv)
    return out


def run(command: Sequence[str], files: Mapping[str, str | bytes] | None = None, *,
        limits: Limits = Limits(), stdin: str | None = None,
        env: Mapping[str, str] | None = None) -> ExecResult:
    """Run one command in a fresh sandbox directory holding `files`.

    Args:
        command: argv; looked up on PATH; ``{dir}`` stands for the run's directory.
        files: relative path -> content (str is written as UTF-8).
        limits: time, memory, process, file and output limits.
        stdin: text fed to the program's standard input (default: none, i.e. /dev/null).
        env: variables added to the minimal environment (``{dir}`` is filled in values).

    Returns:
        The `ExecResult`.
    """
    return run_program([command], files, limits, stdin=stdin, env=env)


def run_program(commands: Sequence[Sequence[str]],
                files: Mapping[str, str | bytes] | None = None,
                limits: Limits = Limits(), *, compile_limits: Limits | None = None,
                stdin: str | None = None, env: Mapping[str, str] | None = None) -> ExecResult:
    """Run build steps then a final step, in sequence, in one sandbox directory.

    Every command but the last is a build step (compile, link); the first one that does
    not pass ends the run with reason "compile" (status "failed" or "timed_out"). The
    last command's result is the run's result. A language pack's toolchain plugs in as
    ``run_program(expand_commands(pack_commands, names), files)``.

    Args:
        commands: argv lists; ``{dir}`` in an argument stands for the run's directory.
        files: relative path -> content, written before the first step.
        limits: limits of the final step (and of build steps, without `compile_limits`).
        compile_limits: limits of the build steps, which often need more time and memory.
        stdin: standard input of the final step.
        env: variables added to the minimal environment of every step.

    Returns:
        The `ExecResult` of the step that ended the run, with wall and CPU time summed
        over the steps that ran.
    """
    if not commands:
        raise ValueError("run_program needs at least one command")
    iso = isolation()
    with tempfile.TemporaryDirectory(prefix="polyglot-run-", ignore_cleanup_errors=True) as tmp:
        workdir = Path(tmp)
        uid = UID_BASE + workdir.stat().st_ino % UID_SPAN if iso.own_uid else None
        try:
            try:
                _write_files(workdir, files or {}, uid)
            except (OSError, ValueError) as err:
                return _error("setup", f"cannot write the program's files: {err}", iso, uid)
            if not iso.prlimit:
                return _error("setup", "prlimit (util-linux) is not installed", iso, uid)
            full_env = _base_env(tmp, own_uid=uid is not None)
            full_env.update({k: v.replace("{dir}", tmp) for k, v in (env or {}).items()})
            wall = cpu = 0.0
            for index, argv in enumerate(commands):
                build = index < len(commands) - 1
                step_limits = compile_limits if build and compile_limits else limits
                argv = [arg.replace("{dir}", tmp) for arg in argv]
                result = _execute(argv, workdir, step_limits, None if build else stdin,
                                  full_env, iso, uid)
                wall, cpu = wall + result.wall_s, cpu + result.cpu_s
                result.wall_s, result.cpu_s, result.step = wall, cpu, index
                if not result.passed:
                    if build and result.status != "sandbox_error":
                        result.reason = "compile"
                    break
            return result
        finally:
            if uid is not None:
                _remove_owned(uid, exclude=workdir)
            _make_removable(workdir)


def _base_env(home: str, own_uid: bool = False) -> dict[str, str]:
    """The whole environment a program sees: nothing of the caller's but PATH -- and of
    PATH, with a uid of its own, only the folders that uid can reach (so a missing
    command reads "No such file", not "Permission denied" from a private folder)."""
    path = os.environ.get("PATH", os.defpath)
    if own_uid:
        path = os.pathsep.join(p for p in path.split(os.pathsep) if p and _public(Path(p)))
    return {"PATH": path, "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8"}


def _public(folder: Path) -> bool:
    """Whether any user may enter `folder` (it and every folder above it are o+x)."""
    try:
        return all(p.stat().st_mode & stat.S_IXOTH for p in (folder, *folder.parents))
    except OSError:
        return False


def _write_files(workdir: Path, files: Mapping[str, str | bytes], uid: int | None) -> None:
    """Write the program's files; the run's uid owns the directory and everything in it."""
    for name, content in files.items():
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise ValueError(f"file name must be a relative path inside the run: {name!r}")
        path = workdir.joinpath(*rel.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    if uid is not None:
        for root, dirs, names in os.walk(workdir):
            os.chown(root, uid, uid)
            for name in dirs + names:
                os.chown(os.path.join(root, name), uid, uid, follow_symlinks=False)


def _execute(argv: list[str], workdir: Path, limits: Limits, stdin: str | None,
             env: dict[str, str], iso: Isolation, uid: int | None) -> ExecResult:
    """One step: start it, collect capped output until it exits or its time is up."""
    full = iso.prefix(uid) + ["prlimit", *limits.prlimit_args(), "--", *argv]
    drop = uid if uid is not None and not iso.network else None  # no unshare to do it
    with tempfile.TemporaryFile() as stdin_file:
        if stdin is not None:
            stdin_file.write(stdin.encode("utf-8"))
            stdin_file.seek(0)
        start = time.monotonic()
        try:
            proc = subprocess.Popen(full, cwd=workdir, env=env, start_new_session=True,
                                    stdin=stdin_file if stdin is not None else subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    user=drop, group=drop, extra_groups=[] if drop else None)
        except OSError as err:
            return _error("exec", f"cannot start {full[0]}: {err}", iso, uid)
        out, err, status, rusage, timed_out = _collect(proc, start + limits.wall_s,
                                                       limits.output_bytes, uid)
    wall = time.monotonic() - start
    cpu = rusage.ru_utime + rusage.ru_stime if rusage else 0.0
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    stderr = err.text()
    state, reason = _classify(code, timed_out, cpu, limits, stderr)
    return ExecResult(state, reason, code, out.text(), stderr, wall, cpu,
                      out.truncated, err.truncated, iso.network, uid)


class _Capped:
    """The first `cap` bytes of a stream; the rest is read (so the writer never blocks)
    and dropped, and the drop is remembered."""

    def __init__(self, cap: int) -> None:
        self.cap, self.chunks, self.size, self.truncated = cap, [], 0, False

    def add(self, data: bytes) -> None:
        room = self.cap - self.size
        if len(data) > room:
            self.truncated = True
            data = data[:max(room, 0)]
        if data:
            self.chunks.append(data)
            self.size += len(data)

    def text(self) -> str:
        return b"".join(self.chunks).decode("utf-8", errors="replace")


def _collect(proc: subprocess.Popen, deadline: float, cap: int, uid: int | None):
    """Read both pipes and wait for the process in one loop (no threads, no polling:
    a pidfd says when it exits). Past the deadline, or once it has exited, everything
    the run started is killed, so a leftover background child cannot hold the pipes
    open."""
    out, err = _Capped(cap), _Capped(cap)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, out)
    sel.register(proc.stderr, selectors.EVENT_READ, err)
    pidfd = os.pidfd_open(proc.pid)
    sel.register(pidfd, selectors.EVENT_READ, None)
    status = rusage = None
    timed_out = False
    try:
        while status is None or sel.get_map():
            now = time.monotonic()
            if status is None and now >= deadline:
                timed_out = True
                _kill_run(proc, uid)
                _, status, rusage = os.wait4(proc.pid, 0)
                sel.unregister(pidfd)
                deadline = now + _DRAIN_GRACE_S
                continue
            if status is not None and now >= deadline:
                break  # a process outside our reach holds a pipe open: stop reading
            for key, _ in sel.select(timeout=max(deadline - now, 0)):
                if key.data is None:  # the pidfd: the program exited
                    _, status, rusage = os.wait4(proc.pid, 0)
                    _kill_run(proc, uid)
                    sel.unregister(pidfd)
                    deadline = time.monotonic() + _DRAIN_GRACE_S
                    continue
                data = os.read(key.fd, _CHUNK)
                if data:
                    key.data.add(data)
                else:
                    sel.unregister(key.fileobj)
    finally:
        sel.close()
        os.close(pidfd)
        proc.stdout.close()
        proc.stderr.close()
        if status is None:  # an exception above: never leave the run behind
            _kill_run(proc, uid)
            _, status, rusage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return out, err, status, rusage, timed_out


def _classify(code: int | None, timed_out: bool, cpu: float, limits: Limits,
              stderr: str) -> tuple[str, str]:
    cpu_limit = math.ceil(limits.cpu_s if limits.cpu_s is not None else limits.wall_s)
    if timed_out:
        return "timed_out", "wall_time"
    if code == -signal.SIGXCPU or (code == -signal.SIGKILL and cpu >= cpu_limit):
        return "timed_out", "cpu_time"
    if code in (126, 127) and stderr.startswith("prlimit: failed to execute"):
        return "sandbox_error", "exec"
    if code == 0:
        return "passed", ""
    if code == -signal.SIGXFSZ:
        return "failed", "file_size"
    return "failed", "signal" if code is not None and code < 0 else "exit"


def _error(reason: str, message: str, iso: Isolation, uid: int | None) -> ExecResult:
    return ExecResult("sandbox_error", reason, None, "", message, 0.0, 0.0,
                      network_isolated=iso.network, uid=uid)


def _kill_run(proc: subprocess.Popen, uid: int | None) -> None:
    """Kill the run's process group and, when it has its own uid, every process of it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if uid is not None:
        _kill_uid(uid)


def _kill_uid(uid: int) -> None:
    """kill(-1) as `uid`: the kernel signals every process of that uid, and none can fork
    while it does, so nothing the run started survives, whatever its session or parent."""
    subprocess.run(["kill", "-KILL", "-1"], user=uid, group=uid, extra_groups=[],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)


def _remove_owned(uid: int, exclude: Path) -> None:
    """Delete what `uid` created at the top of the shared temp directories."""
    for folder in dict.fromkeys((*SHARED_TEMP_DIRS, tempfile.gettempdir())):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid or entry.path == str(exclude):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
            except OSError:
                pass


def _make_removable(workdir: Path) -> None:
    """A program may leave read-only directories behind; give the caller write access
    back so the temp dir can be deleted (root needs none of this)."""
    if os.geteuid() == 0 or not workdir.exists():
        return
    os.chmod(workdir, 0o700)
    for root, dirs, _ in os.walk(workdir):
        for name in dirs:
            try:
                os.chmod(os.path.join(root, name), 0o700)
            except OSError:
                pass
