"""Matching a quotation to its source: alignment, the pieces of a spliced quotation, classification, reuse."""
