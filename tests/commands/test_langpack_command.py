"""`polyglot langpack new/check` on bad names and in the way of existing files."""
from pathlib import Path

import pytest


def files() -> list[str]:
    return sorted(p.as_posix() for p in Path(".").rglob("*") if p.is_file() and p.name != "cart.vibee")


@pytest.mark.parametrize("name, kind, message", [
    ("../../etc", "human", 'NAME: error: bad human pack name; expected a lowercase BCP 47 code such as `pt` or '
                           '`pt-br`, found "../../etc"'),
    ("", "human", 'NAME: error: bad human pack name; expected a lowercase BCP 47 code such as `pt` or `pt-br`, '
                  'found ""'),
    ("UK", "human", 'NAME: error: bad human pack name; expected a lowercase BCP 47 code such as `pt` or `pt-br`, '
                    'found "UK"'),
    ("a/b", "code", 'NAME: error: bad code pack name; expected lowercase letters, digits and _, a letter first, '
                    'found "a/b"'),
    ("9lang", "code", 'NAME: error: bad code pack name; expected lowercase letters, digits and _, a letter first, '
                      'found "9lang"'),
])
def test_bad_names_write_nothing(run, name, kind, message):
    result = run("langpack", "new", name, "--kind", kind)
    assert (result.code, result.line) == (2, message)
    assert files() == []


def test_good_names(run):
    assert run("langpack", "new", "pt-br", "--kind", "human").code == 0
    assert run("langpack", "new", "kotlin2", "--kind", "code").code == 0
    assert "langpacks/human/pt-br.toml" in files() and "langpacks/code/kotlin2/pack.toml" in files()


def test_existing_pack_is_left_alone(run):
    Path("langpacks/human").mkdir(parents=True)
    Path("langpacks/human/uk.toml").write_bytes(b"mine\n")
    result = run("langpack", "new", "uk", "--kind", "human")
    assert (result.code, result.line) == (
        2, "langpacks/human/uk.toml: error: pack `uk` already exists (pick another name or delete it)")
    assert Path("langpacks/human/uk.toml").read_bytes() == b"mine\n"


def test_a_code_pack_is_written_whole_or_not_at_all(run):
    Path("langpacks/code/kot").mkdir(parents=True)
    Path("langpacks/code/kot/templates").write_text("in the way\n")
    result = run("langpack", "new", "kot", "--kind", "code")
    assert result.code == 2
    assert result.line.endswith(": error: cannot write here: a file is in the way, found file "
                                "langpacks/code/kot/templates")
    assert files() == ["langpacks/code/kot/templates"]  # no pack.toml without its templates


def test_check_unknown_pack_with_json(run):
    result = run("langpack", "check", "klingon", "--json")
    assert result.code == 2
    assert result.json["error"]["text"] == "NAME: error: unknown language pack `klingon` (did you mean `kotlin`?)"
