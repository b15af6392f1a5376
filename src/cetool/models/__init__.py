"""Pydantic models, one module per document kind."""
