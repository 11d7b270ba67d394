"""Article text on its way out: shown, never obeyed.

Articles come from the web and may hold terminal escape sequences, C1
controls and bidirectional overrides. Text output shows them as escapes; JSON
keeps every character (a `\\u` escape decodes to the same text) but writes
these as escapes too, so that a JSON file printed in a terminal cannot
recolour it or reverse a line.
"""

from __future__ import annotations

import json
from typing import Any

import regex

__all__ = ["dumps", "visible"]

# C0 and C1 controls except tab and newline, DEL, and the bidirectional embeddings, overrides and isolates.
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What json.dumps leaves raw with ensure_ascii=False: C1 controls, DEL and the bidirectional controls.
_JSON_RAW = regex.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Text with control characters shown as escapes (`\\x1b`, `\\u202e`).

    >>> visible("a\\x1b[2Jb\\u202ec")
    'a\\\\x1b[2Jb\\\\u202ec'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if m.group() < "\u0100" else f"\\u{ord(m.group()):04x}", text)


def dumps(document: Any, *, indent: int | None = None) -> str:
    """JSON with non-ASCII text kept readable, and every control character escaped.

    >>> dumps({"text": "café \\u202e\\x9b"})
    '{"text": "café \\\\u202e\\\\u009b"}'
    """
    # The characters matched can only occur inside JSON strings, where a \\u escape means the same character.
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(document, ensure_ascii=False, indent=indent))
