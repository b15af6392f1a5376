"""Pure checks: loaded documents in, problems out."""
