"""Escalation packets: model, rules, validation over a docs root, and the `packet new` template."""
