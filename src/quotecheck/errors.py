"""The exceptions quotecheck raises.

Every exception has the root `QuotecheckError`, and each subclass also
subclasses the builtin it is, so callers can catch either.
"""

from __future__ import annotations

__all__ = [
    "ConfigFileError",
    "InputError",
    "InvalidArgument",
    "ManifestError",
    "MissingExtra",
    "QuotecheckError",
    "RegistryFormatError",
    "SourceNotFound",
    "SourceWarning",
]


class QuotecheckError(Exception):
    """The root of every error quotecheck raises on purpose."""


class InvalidArgument(QuotecheckError, ValueError):
    """A public function was called with an argument outside its contract."""


class MissingExtra(QuotecheckError, ImportError):
    """A feature needs an optional dependency that is not installed.

    The message names the extra to install, as in `pip install 'quotecheck[pandas]'`.
    """


class SourceNotFound(QuotecheckError, LookupError):
    """A source id is not in the registry."""


class InputError(QuotecheckError, OSError):
    """An article or registry file cannot be read or decoded.

    The message names the file and says what is wrong with it.
    """


class _FileFormatError(QuotecheckError, ValueError):
    """A file quotecheck reads is malformed; the message starts with `path:line:`.

    Attributes:
        path: the file, as given.
        line: the 1-based line of the fault, or None when it concerns the file.
    """

    def __init__(self, path: str, message: str, *, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class RegistryFormatError(_FileFormatError):
    """A registry source file is malformed."""


class ConfigFileError(_FileFormatError):
    """The `[tool.quotecheck]` table of a pyproject.toml is malformed (an unknown key, a value of the wrong type)."""


class ManifestError(_FileFormatError):
    """An article manifest (CSV or JSON Lines of article metadata) is malformed."""


class SourceWarning(UserWarning):
    """A registry source was read with a problem a user should know of (a PDF page without text), or left out."""
