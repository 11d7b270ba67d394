"""Checking: one article or quotation through every stage (`article`), and many articles at once (`batch`)."""
