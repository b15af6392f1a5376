"""The ownership matrix: model, lenient view, rules, loading, routing, diff and its page."""
