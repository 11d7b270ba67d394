"""DataFrames: articles in, one row per quotation out, for pandas, Dask and Spark.

`check_frame` is a pure function of a pandas DataFrame of articles, so the
same function runs unchanged on a laptop, on a Dask cluster and on Spark::

    import dask.dataframe as dd
    quotes = articles.map_partitions(check_frame, registry="sources/", meta=empty_frame())

    quotes = spark_articles.mapInPandas(partial(check_frames, registry="sources/"), schema=SPARK_SCHEMA)

The registry travels by path: each worker process loads it (and its saved
index, if `quotecheck index` made one) once, on first use.

Needs the `pandas` extra (`pip install 'quotecheck[pandas]'`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from quotecheck.checking.article import _check_article
from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import InvalidArgument
from quotecheck.judging.results import FRAME_COLUMNS, frame_rows
from quotecheck.sources.registry import Registry, builtin_registry

__all__ = ["COLUMNS", "SPARK_SCHEMA", "check_frame", "check_frames", "empty_frame"]

COLUMNS: dict[str, str] = FRAME_COLUMNS
"""The output columns and their pandas dtypes, in order: `quotecheck.judging.results.FRAME_COLUMNS`, the schema
`Report.to_pandas()` has too."""

_SPARK_TYPES = {"string": "STRING", "Int64": "BIGINT", "Float64": "DOUBLE", "boolean": "BOOLEAN"}
SPARK_SCHEMA = ", ".join(f"`{name}` {_SPARK_TYPES[dtype]}" for name, dtype in COLUMNS.items())
"""`COLUMNS` as a Spark DDL schema string, for `mapInPandas`."""

_REGISTRIES: dict[str, Registry] = {}
_LOCK = threading.Lock()


def empty_frame() -> pd.DataFrame:
    """An empty DataFrame with the output schema: Dask's `meta`."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in COLUMNS.items()})


def _registry(registry: Registry | str | os.PathLike[str] | None) -> Registry:
    """The registry itself, the built-in one, or the one at a path, loaded once per process."""
    if registry is None:
        return builtin_registry()
    if isinstance(registry, Registry):
        return registry
    key = str(Path(registry).resolve())
    with _LOCK:
        found = _REGISTRIES.get(key)
        if found is None:
            found = _REGISTRIES[key] = Registry.from_path(key)
        return found


def check_frame(
    articles: pd.DataFrame, *, registry: Registry | str | os.PathLike[str] | None = None, config: Config = DEFAULT_CONFIG
) -> pd.DataFrame:
    """Checks every quotation of every article in a DataFrame.

    Args:
        articles: one row per article, with columns `id` and `text`, and
            optionally `date` and `outlet`; other columns are ignored.
        registry: the sources, or the path of a registry directory (loaded
            once per process); the built-in Krishna registry by default.
        config: thresholds.

    Returns:
        One row per quotation, in article order then quotation order, with
        exactly the columns and dtypes of `COLUMNS` (an article that could
        not be checked gets one row with `error` set).

    Raises:
        InvalidArgument: a column `id` or `text` is missing, or a text is not a string.
    """
    missing = [name for name in ("id", "text") if name not in articles.columns]
    if missing:
        raise InvalidArgument(f"articles must have columns 'id' and 'text'; missing {missing}, got {list(articles.columns)}")
    loaded = _registry(registry)
    rows: list[dict[str, Any]] = []
    dates = articles["date"] if "date" in articles.columns else [None] * len(articles)
    outlets = articles["outlet"] if "outlet" in articles.columns else [None] * len(articles)
    for article_id, text, date, outlet in zip(articles["id"], articles["text"], dates, outlets, strict=True):
        if not isinstance(text, str):
            raise InvalidArgument(f"article id={article_id!r}: text must be a str, got {type(text).__name__}")
        checked = _check_article(text, loaded, config, str(article_id))
        rows.extend(frame_rows(checked, article_id=str(article_id), date=_text(date), outlet=_text(outlet)))
    if not rows:
        return empty_frame()
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    return frame.astype(COLUMNS)




def check_frames(
    batches: Iterable[pd.DataFrame], *, registry: Registry | str | os.PathLike[str] | None = None, config: Config = DEFAULT_CONFIG
) -> Iterator[pd.DataFrame]:
    """`check_frame` over an iterator of DataFrames: the function Spark's `mapInPandas` takes."""
    for batch in batches:
        yield check_frame(batch, registry=registry, config=config)


def _text(value: object) -> str | None:
    """A date or outlet cell as text; None for a missing value (None, NaN, NaT, NA)."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat()) if callable(isoformat) else str(value)
