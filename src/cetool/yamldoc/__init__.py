"""Positioned, bounded YAML: the loader, its limits, markdown front matter and the pydantic boundary."""
