"""Headless Chromium for the tests: load a local page, dump its DOM, take a screenshot.

Debian's `chromium` package (.ci/run installs it). Tests that need it skip
with a reason when it is absent. The flags keep the browser off the network
and out of the user's profile: it runs as root in CI, hence --no-sandbox.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["BROWSER_MISSING", "browser", "dump_dom", "screenshot"]

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)
_TIMEOUT = 90


def browser() -> str | None:
    """The path of a Chromium executable, or None."""
    found = os.environ.get("QUOTECHECK_CHROMIUM")
    if found:
        return found
    for name in _CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


BROWSER_MISSING = "headless Chromium is not installed (apt-get install chromium; .ci/run installs it)"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    executable = browser()
    if executable is None:
        raise RuntimeError(BROWSER_MISSING)
    with tempfile.TemporaryDirectory(prefix="quotecheck-chromium-") as profile:
        return subprocess.run(
            [executable, *_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT,
            check=False,
            env={**os.environ, "HOME": profile},
        )


def dump_dom(page: Path, *, fragment: str = "") -> str:
    """The page's DOM after its scripts ran, as serialised HTML."""
    result = _run("--virtual-time-budget=3000", "--dump-dom", page.resolve().as_uri() + fragment)
    if result.returncode != 0 or "<html" not in result.stdout:
        raise RuntimeError(f"chromium failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


def screenshot(page: Path, png: Path, *, width: int = 1280, height: int = 1600) -> Path:
    """Saves a PNG of the page as rendered at `width` x `height`."""
    result = _run(f"--screenshot={png}", f"--window-size={width},{height}", "--virtual-time-budget=3000", page.resolve().as_uri())
    if not png.exists() or png.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no screenshot ({result.returncode}): {result.stderr[-2000:]}")
    return png
