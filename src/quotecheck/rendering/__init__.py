"""Rendering results: text, JSON, Markdown and HTML reports, word diffs, corpus pages (pure functions)."""
