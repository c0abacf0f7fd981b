"""The grammar check of generated files: problems located, and no hang on Perl."""
import subprocess
import sys

from polyglot.codegen.syntax import SyntaxProblem, syntax_problems


def test_problems_are_located():
    assert syntax_problems("def f(x):\n    return x\n", "python") == []
    assert syntax_problems("my $x = (1;\n", "perl", "m.pl") == [SyntaxProblem("m.pl", 1, 11, "MISSING", ";\n")]


def test_a_perl_file_ending_in_a_comment_is_checked_not_hung():
    # tree-sitter-perl never returns on `x # c` with no final newline (grammars/perl/grammar.toml);
    # a child process keeps a regression from hanging the test run
    script = "from polyglot.codegen.syntax import syntax_problems\nprint(syntax_problems('x # c', 'perl'))\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr
