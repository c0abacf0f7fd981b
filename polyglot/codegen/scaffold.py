"""New packs: every required file, every required key, each value a TODO.

Generated from the validators' own key lists, so a scaffold always names everything a
pack must define -- and loads, with status "todo", until the TODOs are replaced.
"""
from __future__ import annotations

import json

from polyglot.codegen.pack import EXPR_KEYS, EXPR_OPTIONAL, LITERAL_KEYS, TEMPLATES, TYPE_KEYS


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def code_pack_files(name: str) -> dict[str, str]:
    """Relative path -> text of a new code pack called `name`."""
    lines = [
        f"# {name}: a code pack. Replace every TODO; docs/code-langpacks.md explains each field",
        "# and walks through adding a language end to end.",
        f"name = {_q(name)}",
        'display_name = "TODO"',
        'extension = "TODO"',
        f"grammar = {_q(name)}  # TODO: the tree-sitter-language-pack 0.13.0 name",
        'status = "todo"  # stable once `polyglot langpack check` passes',
        "",
        "[naming]  # TODO: snake | camel | pascal | upper | lower | keep",
        'type = "pascal"', 'function = "snake"', 'field = "snake"', 'param = "snake"',
        'constant = "upper"', 'enum_member = "upper"',
        "unicode = false  # TODO: may identifiers keep non-ASCII letters?",
        'escape = "{{name}}_"',
        "reserved = []  # TODO: keywords, builtins the templates use, names the generated files define",
        "",
        "[comments]",
        'line = "TODO"',
        "",
        "[strings]",
        "quote = '\"'",
        'escapes = { "\\\\" = "\\\\\\\\", \'"\' = \'\\"\', "\\n" = "\\\\n", "\\t" = "\\\\t", "\\r" = "\\\\r" }',
        'control = "\\\\u{{hex4}}"  # TODO',
        "",
        "[literals]",
        *(f'{key} = "TODO"' for key in LITERAL_KEYS),
        "",
        "[types]",
        *(f'{key} = "TODO"' for key in TYPE_KEYS),
        "",
        "[expr]  # TODO: a template per key; see the python pack for a complete example",
        *(f'{_q(key)} = "TODO"' for key in EXPR_KEYS if key not in EXPR_OPTIONAL),
        "",
        "[statements]",
        'return = "TODO {{value}}"',
        "",
        "[layout]",
        'module = "{{module}}.TODO"',
        'tests = "{{module}}_tests.TODO"',
        'runtime = "polyglot_runtime.TODO"',
        'files = { "polyglot_runtime.TODO" = "runtime", "run_tests.TODO" = "runner" }',
        "",
        "[toolchain]",
        "compile = []  # TODO: argv lists run in order before `run`, e.g. [[\"rustc\", \"main.rs\"]]",
        'run = ["TODO"]',
        'requires = [{ command = "TODO", package = "TODO", source = "debian" }]',
    ]
    files = {"pack.toml": "\n".join(lines) + "\n"}
    for template, placeholders in TEMPLATES.items():
        uses = ", ".join(f"{{{{{p}}}}}" for p in placeholders)
        files[f"templates/{template}.tmpl"] = f"TODO {template} (may use {uses})\n"
    return files


def human_pack_text(code: str) -> str:
    """The text of a new human pack `langpacks/human/<code>.toml`."""
    from polyglot.langpacks import HUMAN_TEMPLATE_PLACEHOLDERS
    from polyglot.spec.keys import CANONICAL_KEYS

    lines = [
        f"# {code}: a human language pack. Replace every TODO; see docs/human-langpacks.md.",
        f"code = {_q(code)}",
        'name = "TODO"', 'native_name = "TODO"', 'script = "Latin"  # TODO', 'direction = "ltr"  # TODO',
        'word_separator = " "  # TODO', 'sacrebleu_tokenizer = "13a"  # TODO',
        "", "[keys]  # canonical key -> its words in this language, most natural first",
        *(f'{key} = ["TODO_{key}"]' for key in CANONICAL_KEYS),
        "", "[templates]  # at least two paraphrases each, using exactly these placeholders",
    ]
    for construct, names in HUMAN_TEMPLATE_PLACEHOLDERS.items():
        uses = " ".join(f"{{{n}}}" for n in names)
        lines.append(f'{construct} = ["TODO {uses}", "TODO 2 {uses}"]')
    return "\n".join(lines) + "\n"
