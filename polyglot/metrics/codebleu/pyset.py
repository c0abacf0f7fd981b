"""The order in which CPython iterates ``set(strings)`` when ``PYTHONHASHSEED=0``.

The `codebleu` package merges dataflow parents with ``list(set(a + b))``, and the order
of that list decides how variables are renamed and so whether two dataflow edges match.
Its scores therefore depend on the interpreter's string hashing. ``compat`` mode
reproduces the package as it runs with ``PYTHONHASHSEED=0`` on CPython >= 3.11
(SipHash-1-3 with a zero key), whatever this process's own seed is: the hash and the
open-addressing set table are emulated here. ``default`` mode never needs this.
"""
from __future__ import annotations

MASK64 = (1 << 64) - 1
LINEAR_PROBES = 9
PERTURB_SHIFT = 5
MIN_SIZE = 8


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & MASK64


def _round(v0: int, v1: int, v2: int, v3: int) -> tuple[int, int, int, int]:
    """One SipHash round (two half rounds)."""
    v0 = (v0 + v1) & MASK64
    v2 = (v2 + v3) & MASK64
    v1 = _rotl(v1, 13) ^ v0
    v3 = _rotl(v3, 16) ^ v2
    v0 = _rotl(v0, 32)
    v2 = (v2 + v1) & MASK64
    v0 = (v0 + v3) & MASK64
    v1 = _rotl(v1, 17) ^ v2
    v3 = _rotl(v3, 21) ^ v0
    v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def siphash13(data: bytes, k0: int = 0, k1: int = 0) -> int:
    """SipHash-1-3 of ``data`` as an unsigned 64-bit integer (CPython's ``pyhash.c``)."""
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    full = len(data) - len(data) % 8
    for i in range(0, full, 8):
        m = int.from_bytes(data[i:i + 8], "little")
        v3 ^= m
        v0, v1, v2, v3 = _round(v0, v1, v2, v3)
        v0 ^= m
    b = ((len(data) & 0xFF) << 56) | int.from_bytes(data[full:], "little")
    v3 ^= b
    v0, v1, v2, v3 = _round(v0, v1, v2, v3)
    v0 ^= b
    v2 ^= 0xFF
    for _ in range(3):
        v0, v1, v2, v3 = _round(v0, v1, v2, v3)
    return (v0 ^ v1) ^ (v2 ^ v3)


def str_hash(text: str) -> int:
    """``hash(text)`` under ``PYTHONHASHSEED=0`` (as an unsigned 64-bit pattern)."""
    if not text:
        return 0
    widest = max(map(ord, text))
    # CPython hashes the string's internal buffer: 1, 2 or 4 bytes a character.
    encoding, width = (("latin-1", 1) if widest < 256 else
                       ("utf-16-le", 2) if widest < 65536 else ("utf-32-le", 4))
    data = text.encode(encoding, "surrogatepass")[: len(text) * width]
    h = siphash13(data)
    return (MASK64 - 1) if h == MASK64 else h  # a hash of -1 is reserved; CPython uses -2


def _insert(table: list, item: str, h: int) -> bool:
    """Add to an open-addressing table as ``set_add_entry`` does; False if present."""
    mask = len(table) - 1
    i = h & mask
    perturb = h
    while True:
        probes = LINEAR_PROBES if i + LINEAR_PROBES <= mask else 0
        j = i
        for _ in range(probes + 1):
            entry = table[j]
            if entry is None:
                table[j] = (h, item)
                return True
            if entry[0] == h and entry[1] == item:
                return False
            j += 1
        perturb >>= PERTURB_SHIFT
        i = (i * 5 + 1 + perturb) & mask


def set_order(items: list[str], hashes: dict | None = None) -> list[str]:
    """``list(set(items))`` exactly as CPython >= 3.11 orders it under ``PYTHONHASHSEED=0``.

    Args:
        items: strings, duplicates allowed, in insertion order.
        hashes: a memo the caller keeps: ``str -> hash`` (hashing is the slow part) and
            ``tuple(items) -> order`` (dataflow merges the same lists again and again).

    Returns:
        The distinct strings in CPython's iteration order.
    """
    if len(items) < 2 or (len(items) == 2 and items[0] == items[1]):
        return items[:1]
    if hashes is None:
        hashes = {}
    key = tuple(items)
    known = hashes.get(key)
    if known is None:
        known = hashes[key] = tuple(_set_order(items, hashes))
    return list(known)


def _set_order(items: list[str], hashes: dict) -> list[str]:
    table: list = [None] * MIN_SIZE
    used = 0
    for item in items:
        h = hashes.get(item)
        if h is None:
            h = hashes[item] = str_hash(item)
        if not _insert(table, item, h):
            continue
        used += 1
        mask = len(table) - 1
        if used * 5 >= mask * 3:  # fill == used: nothing is ever deleted here
            size = MIN_SIZE
            while size <= used * 4:
                size <<= 1
            old, table = table, [None] * size
            for entry in old:
                if entry is not None:
                    _insert(table, entry[1], entry[0])
    return [entry[1] for entry in table if entry is not None]
