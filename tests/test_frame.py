"""DataFrames of articles in, one row per quotation out: pandas, Dask and Spark."""

from __future__ import annotations

import functools
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

pd = pytest.importorskip("pandas", reason="the pandas extra is not installed")

from quotecheck import check  # noqa: E402
from quotecheck.errors import InvalidArgument  # noqa: E402
from quotecheck.frame import COLUMNS, SPARK_SCHEMA, check_frame, check_frames, empty_frame  # noqa: E402
from quotecheck.sources.registry import Registry  # noqa: E402
from tests.conftest import FIXTURES  # noqa: E402


@functools.cache
def _seed_articles() -> pd.DataFrame:
    paths = sorted((FIXTURES / "articles").glob("*.txt"))
    return pd.DataFrame(
        {
            "id": [p.stem for p in paths],
            "text": [p.read_text(encoding="utf-8") for p in paths],
            "date": ["2020-06-09"] * len(paths),
            "outlet": [f"outlet {n}" for n in range(len(paths))],
        }
    )


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["article_id", "start"]).reset_index(drop=True)


def test_rows_are_the_quotations_check_finds() -> None:
    """Each article contributes one row per quotation, with check()'s verdicts, offsets and sources."""
    articles = _seed_articles()
    out = check_frame(articles)
    expected = [
        (str(i), q.start, q.end, q.verdict.value, q.source.id if q.source else None)
        for i, text in zip(articles["id"], articles["text"], strict=True)
        for q in check(text).quotes
    ]
    sources = [None if pd.isna(src) else src for src in out["source_id"]]
    got = list(zip(out["article_id"], map(int, out["start"]), map(int, out["end"]), out["verdict"], sources, strict=True))
    assert got == expected


@given(st.lists(st.text(max_size=80), max_size=4))
def test_schema_is_fixed(texts: list[str]) -> None:
    """Whatever the articles, the output has exactly the documented columns and dtypes."""
    out = check_frame(pd.DataFrame({"id": range(len(texts)), "text": texts}))
    assert list(out.columns) == list(COLUMNS)
    assert out.dtypes.equals(empty_frame().dtypes)


def test_spark_schema_names_every_column() -> None:
    """The Spark DDL string lists the columns of COLUMNS, in order."""
    names = [field.strip().split(" ")[0].strip("`") for field in SPARK_SCHEMA.split(",")]
    assert names == list(COLUMNS)


def test_missing_columns_are_an_error() -> None:
    """A DataFrame without `id` or `text` is refused with the columns it has."""
    with pytest.raises(InvalidArgument, match="missing \\['text'\\]"):
        check_frame(pd.DataFrame({"id": [1], "body": ["x"]}))


def test_a_text_that_is_not_a_string_is_an_error() -> None:
    """A non-string text names the article."""
    with pytest.raises(InvalidArgument, match="id=7"):
        check_frame(pd.DataFrame({"id": [7], "text": [None]}))


def test_registry_by_path(tmp_path: Path) -> None:
    """A registry given by path is loaded and used like the object."""
    shutil.copytree(FIXTURES / "sources", tmp_path / "sources")
    by_path = check_frame(_seed_articles(), registry=tmp_path / "sources")
    assert by_path.equals(check_frame(_seed_articles(), registry=Registry.from_path(FIXTURES / "sources")))


def test_check_frames_maps_batches() -> None:
    """check_frames yields check_frame of each batch, for Spark's mapInPandas."""
    articles = _seed_articles()
    batches = [articles.iloc[:2], articles.iloc[2:]]
    out = pd.concat(list(check_frames(batches)), ignore_index=True)
    assert out.equals(check_frame(articles))


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="the dask extra is not installed")
def test_dask_local_cluster_with_two_worker_processes(tmp_path: Path) -> None:
    """map_partitions over a two-process LocalCluster gives what check_frame gives in this process."""
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    shutil.copytree(FIXTURES / "sources", tmp_path / "sources")
    articles = _seed_articles()
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        parts = dd.from_pandas(articles, npartitions=2)
        out = parts.map_partitions(check_frame, registry=str(tmp_path / "sources"), meta=empty_frame()).compute()
    assert _sorted(out).equals(_sorted(check_frame(articles, registry=Registry.from_path(FIXTURES / "sources"))))


@pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or shutil.which("java") is None, reason="needs pyspark and java, not installed here"
)
def test_spark_map_in_pandas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mapInPandas with SPARK_SCHEMA gives what check_frame gives in this process."""
    from pyspark.sql import SparkSession

    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # Spark's Python workers must import quotecheck

    shutil.copytree(FIXTURES / "sources", tmp_path / "sources")
    articles = _seed_articles()
    spark = SparkSession.builder.master("local[2]").appName("quotecheck-test").config("spark.ui.enabled", "false").getOrCreate()
    try:
        frame = spark.createDataFrame(articles)
        out = frame.mapInPandas(functools.partial(check_frames, registry=str(tmp_path / "sources")), schema=SPARK_SCHEMA).toPandas()
    finally:
        spark.stop()
    expected = _sorted(check_frame(articles, registry=Registry.from_path(FIXTURES / "sources")))
    got = _sorted(out.astype(COLUMNS))
    assert got.equals(expected)
