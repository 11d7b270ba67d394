"""The text model shared by articles and sources: repair, folding, tokens, and offset maps back to the original."""
