"""Names as Python reads them: NFKC-normalised, so `ﬁle` and `file` are one name.

Python normalises every identifier in source to NFKC (PEP 3131), and the body language is
parsed by Python. The spec's own names (parameters, fields, types, enum members, constants)
are normalised the same way, so a body always finds the name it spells, and two spellings
that read as one name are caught as a clash instead of becoming two names in some targets
and one in others.
"""
from __future__ import annotations

import unicodedata


def normal_name(text: str) -> str:
    """The NFKC form of `text`, as Python's parser stores an identifier.

    Example:
        >>> normal_name("ﬁle"), normal_name("Ｉｎｔ")
        ('file', 'Int')
    """
    return text if text.isascii() else unicodedata.normalize("NFKC", text)
