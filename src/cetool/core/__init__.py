"""The small shared core: errors, findings, ids, placeholders, safe text, the docs root, files and git."""
