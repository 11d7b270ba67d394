"""Judging a matched quotation: the result values, the findings and the verdict rules."""
