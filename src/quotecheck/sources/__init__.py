"""The sources: the registry and its file formats, and the word index over it."""
