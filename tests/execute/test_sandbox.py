"""The sandbox's contract: statuses, reasons, limits, environment, files, steps."""
import os
import shutil
import signal
import subprocess
import textwrap
from pathlib import Path

import pytest

from polyglot.errors import SpecError
from polyglot.execute.sandbox import Limits, expand_commands, isolation, run, run_program

PY = shutil.which("python3", path="/usr/bin:/bin") or "python3"
FAST = Limits(wall_s=5)


def py(source: str, limits: Limits = FAST, **kwargs):
    return run([PY, "main.py"], {"main.py": textwrap.dedent(source)}, limits=limits, **kwargs)


def test_passes_with_exact_output():
    result = py("import sys; print(6 * 7); print('note', file=sys.stderr)")
    assert (result.status, result.reason, result.returncode) == ("passed", "", 0)
    assert (result.stdout, result.stderr) == ("42\n", "note\n")
    assert result.passed and not result.stdout_truncated and not result.stderr_truncated
    assert result.network_isolated == isolation().network


def test_exit_code_and_signal():
    exited = py("raise SystemExit(3)")
    assert (exited.status, exited.reason, exited.returncode) == ("failed", "exit", 3)
    killed = py("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    assert (killed.status, killed.reason, killed.returncode) == ("failed", "signal", -signal.SIGSEGV)


def test_stdin_reaches_the_program():
    result = py("import sys; print(sys.stdin.read().upper(), end='')", stdin="héllo\n")
    assert result.stdout == "HÉLLO\n"


def test_environment_is_minimal(monkeypatch):
    monkeypatch.setenv("POLYGLOT_TEST_SECRET", "hunter2")
    result = py("""
        import os
        print(sorted(os.environ))
        print(os.environ['HOME'] == os.getcwd() == os.environ['TMPDIR'])
        print(os.path.expanduser('~') == os.getcwd())
        print(os.environ['EXTRA'] == os.getcwd() + '/x')
    """, env={"EXTRA": "{dir}/x"})
    assert result.stdout == "['EXTRA', 'HOME', 'LANG', 'PATH', 'TMPDIR']\nTrue\nTrue\nTrue\n"


def test_files_are_written_and_the_directory_is_deleted():
    result = run([PY, "pkg/main.py"], {"pkg/main.py": "import os; print(os.getcwd())\n"
                                                      "print(open('data.bin','rb').read())",
                                       "data.bin": b"\x00\xff"}, limits=FAST)
    cwd, data = result.stdout.splitlines()
    assert data == "b'\\x00\\xff'"
    assert os.path.basename(cwd).startswith("polyglot-run-")
    assert not os.path.exists(cwd)


@pytest.mark.parametrize("name", ["/etc/x", "../x", "a/../../x", ""])
def test_file_names_must_stay_inside(name):
    result = run(["true"], {name: "x"})
    assert (result.status, result.reason) == ("sandbox_error", "setup")
    assert "relative path inside the run" in result.stderr


def test_missing_command_is_a_sandbox_error():
    result = run(["polyglot-no-such-command"])
    assert (result.status, result.reason, result.returncode) == ("sandbox_error", "exec", 127)
    assert result.stderr == ("prlimit: failed to execute polyglot-no-such-command: "
                             "No such file or directory\n")


def test_output_is_capped_per_stream():
    result = py("import sys; print('a' * 10000); print('b' * 50, file=sys.stderr)",
                limits=Limits(wall_s=5, output_bytes=100))
    assert result.stdout == "a" * 100 and result.stdout_truncated
    assert result.stderr == "b" * 50 + "\n" and not result.stderr_truncated
    assert result.passed


def test_file_size_limit():
    limits = Limits(wall_s=5, file_bytes=1 << 20)
    result = run(["dd", "if=/dev/zero", "of=big", "bs=1M", "count=2"], limits=limits)
    assert (result.status, result.reason, result.returncode) == \
        ("failed", "file_size", -signal.SIGXFSZ)
    # Python ignores SIGXFSZ, so there the write fails instead.
    written = py("open('big', 'wb').write(b'x' * (2 << 20))", limits=limits)
    assert (written.status, written.reason, written.returncode) == ("failed", "exit", 1)
    assert written.stderr.endswith("OSError: [Errno 27] File too large\n")


def test_wall_time_limit():
    result = py("import time; time.sleep(60)", limits=Limits(wall_s=0.5))
    assert (result.status, result.reason, result.returncode) == \
        ("timed_out", "wall_time", -signal.SIGKILL)


def test_background_children_do_not_outlive_the_run():
    # A detached grandchild holding stdout open must not keep the run waiting 60 s.
    result = py("""
        import subprocess, sys
        subprocess.Popen(['sleep', '60'], start_new_session=True)
        print('started')
    """, limits=Limits(wall_s=30))
    assert (result.status, result.stdout) == ("passed", "started\n")
    assert result.wall_s < 30


def test_prlimit_args():
    limits = Limits(wall_s=2.5, memory_bytes=None, processes=8, file_bytes=10, open_files=None)
    assert limits.prlimit_args() == ["--cpu=3:4", "--core=0:0", "--nproc=8:8", "--fsize=10:10"]


def test_run_program_steps_share_a_directory():
    result = run_program([["sh", "-c", "echo built > artifact"], ["cat", "artifact"]])
    assert (result.status, result.step, result.stdout) == ("passed", 1, "built\n")


def test_failed_build_step_is_a_compile_failure():
    result = run_program([["sh", "-c", "echo oops >&2; exit 1"], ["true"]])
    assert (result.status, result.reason, result.step, result.stderr) == \
        ("failed", "compile", 0, "oops\n")
    timed = run_program([["sleep", "60"], ["true"]], limits=FAST,
                        compile_limits=Limits(wall_s=0.3))
    assert (timed.status, timed.reason, timed.step) == ("timed_out", "compile", 0)


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc not installed")
def test_pack_style_toolchain_compiles_and_runs_c():
    toolchain = [["gcc", "-O0", "{source}", "-o", "{exe}"], ["./{exe}"]]
    commands = expand_commands(toolchain, {"source": "main.c", "exe": "main"})
    assert commands == [["gcc", "-O0", "main.c", "-o", "main"], ["./main"]]
    source = '#include <stdio.h>\nint main(void) { printf("%d\\n", 6 * 7); return 0; }\n'
    result = run_program(commands, {"main.c": source}, compile_limits=Limits(wall_s=30))
    assert (result.status, result.step, result.stdout) == ("passed", 1, "42\n")
    broken = run_program(commands, {"main.c": "int main(void) { return x; }\n"},
                         compile_limits=Limits(wall_s=30))
    assert (broken.status, broken.reason, broken.step) == ("failed", "compile", 0)
    assert "undeclared" in broken.stderr


def test_expand_commands_keeps_dir_and_rejects_unknown_placeholders():
    assert expand_commands([["cc", "-I{dir}/inc", "{src}"]], {"src": "a.c"}) == \
        [["cc", "-I{dir}/inc", "a.c"]]
    with pytest.raises(SpecError) as err:
        expand_commands([["cc", "{source}"]], {"src": "a.c"})
    assert str(err.value) == ("<input>: error: bad placeholder in command argument '{source}'; "
                              "expected one of {dir}, {src}, found 'source' "
                              "(write {{ and }} for literal braces)")


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to take another uid")


@needs_root
def test_without_network_namespaces_the_run_still_gets_its_own_uid(monkeypatch):
    from polyglot.execute import sandbox

    monkeypatch.setattr(sandbox, "isolation",
                        lambda: sandbox.Isolation(own_uid=True, network=False, prlimit=True))
    result = py("import os; print(os.getuid() == os.getgid() != 0, os.getgroups())")
    assert (result.status, result.stdout, result.network_isolated) == ("passed", "True []\n", False)
    assert result.uid >= sandbox.UID_BASE


@needs_root
@pytest.mark.skipif(not isolation().network, reason="this machine forbids network namespaces")
def test_started_by_a_normal_user_the_run_gets_a_user_and_network_namespace(tmp_path):
    # The same module, imported by an unprivileged uid from this checkout.
    repo = Path(__file__).resolve().parents[2]
    script = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {str(repo)!r})
        from polyglot.execute.sandbox import Limits, isolation, run
        print(isolation())
        fork = ("import os, time\\nn = 0\\ntry:\\n    while True:\\n"
                "        if os.fork() == 0:\\n            time.sleep(30); os._exit(0)\\n"
                "        n += 1\\nexcept OSError:\\n    print(n)")
        print(run(['python3', '-c', fork], limits=Limits(processes=8, wall_s=5)).stdout, end='')
        net = "import socket; print(socket.socket().connect_ex(('127.0.0.1', 9)))"
        print(run(['python3', '-c', net]).stdout, end='')
    """)
    uid = 1_000_000_007
    done = subprocess.run([PY, "-c", script], user=uid, group=uid, extra_groups=[],
                          env={"PATH": "/usr/bin:/bin", "HOME": "/"}, cwd="/",
                          capture_output=True, text=True, timeout=60)
    if "ModuleNotFoundError" in done.stderr or "Permission denied" in done.stderr:
        pytest.skip("the checkout is not readable by other users")
    assert done.stdout == ("Isolation(own_uid=False, network=True, prlimit=True)\n"
                           "7\n101\n"), done.stderr
