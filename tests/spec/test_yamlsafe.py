"""The safe YAML loader: YAML 1.2's booleans, so `no` stays a word."""
from polyglot.spec.yamlsafe import load_yaml


def test_only_true_and_false_are_booleans():
    doc = load_yaml("a: no\nb: [yes, On, OFF, y, n]\nc: True\nd: FALSE\non: 1\ne: null\nf: 0x1F\n").value
    assert doc == {"a": "no", "b": ["yes", "On", "OFF", "y", "n"], "c": True, "d": False, "on": 1,
                   "e": None, "f": 31}
