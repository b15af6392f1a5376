"""Runbooks and known issues: models, loading, rules, search and staleness."""
