"""Metrics reports for people: text, markdown and HTML (with SVG charts). No pandas here."""
