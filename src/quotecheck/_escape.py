"""Article text on its way out: shown, never obeyed. The one module every renderer escapes through.

Articles come from the web and may hold terminal escape sequences, C1
controls and bidirectional overrides. Text output (terminal, Markdown, HTML)
shows them as escapes; JSON keeps every character (a `\\u` escape decodes to
the same text) but writes these as escapes too, so that a JSON file printed in
a terminal cannot recolour it or reverse a line.

A file name that is not valid UTF-8 reaches Python with lone surrogates in it
(byte 0xFF becomes U+DCFF, PEP 383), which no UTF-8 writer can encode. Every
format writes such a character as the six characters `\\udcff`, in JSON as
well (the JSON string `"\\\\udcff"`), so output is always valid UTF-8 and a
strict parser reads it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from typing import Any

import regex

from quotecheck.errors import InvalidArgument

__all__ = ["content_security_policy", "dumps", "html_text", "refuse_surrogates", "strip_surrogates", "visible"]

# C0 and C1 controls except tab and newline, DEL, the bidirectional embeddings, overrides and isolates, and lone
# surrogates (from file names that are not UTF-8).
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What json.dumps leaves raw with ensure_ascii=False: C1 controls, DEL and the bidirectional controls.
_JSON_RAW = regex.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = regex.compile(r"[\ud800-\udfff]")


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
    # The characters matched can only occur inside JSON strings, where a \\u escape means the same character;
    # a lone surrogate is written as the text `\\udcff` (an escaped backslash), which every parser accepts.
    raw = json.dumps(document, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", strip_surrogates(raw, backslash="\\\\"))


def strip_surrogates(text: str, *, backslash: str = "\\") -> str:
    """Text with each lone surrogate written as `\\udcff`: what a name that is not UTF-8 looks like on the way out.

    >>> strip_surrogates("caf\\udcff.txt")
    'caf\\\\udcff.txt'
    """
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: f"{backslash}u{ord(m.group()):04x}", text)


def refuse_surrogates(text: str, *, name: str) -> None:
    """Refuses text with a lone surrogate: no UTF-8 writer can encode it, so no report of it could be written.

    Raises:
        InvalidArgument: `text` holds one; the message names the argument, the character and its index.
    """
    match = _SURROGATE.search(text)
    if match is not None:
        raise InvalidArgument(
            f"{name} holds a lone surrogate U+{ord(match.group()):04X} at index {match.start()}, which is not text "
            "(bytes decoded with errors='surrogateescape'?); decode the bytes strictly, or replace it"
        )


def html_text(text: object) -> str:
    """Text for an HTML page or attribute: controls, bidi overrides and surrogates shown, then markup escaped.

    >>> html_text('<b title="x">\\u202e</b>')
    '&lt;b title=&quot;x&quot;&gt;\\\\u202e&lt;/b&gt;'
    """
    return html.escape(visible(str(text)), quote=True)


def content_security_policy(*scripts: str) -> str:
    """The Content-Security-Policy of every page quotecheck writes: nothing loads, only these inline scripts run.

    Args:
        scripts: the exact text of each inline `<script>` element, pinned by its SHA-256.
    """
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts) or "'none'"
    return f"default-src 'none'; style-src 'unsafe-inline'; script-src {hashes}; base-uri 'none'; form-action 'none'"
