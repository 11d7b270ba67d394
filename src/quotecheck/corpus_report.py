"""The corpus renderers at the path the README names: they live in `quotecheck.rendering.corpus_report`."""

from quotecheck.rendering.corpus_report import CORPUS_RENDERERS, render_corpus_html, render_corpus_json, render_corpus_text

__all__ = ["CORPUS_RENDERERS", "render_corpus_html", "render_corpus_json", "render_corpus_text"]
