"""Weekly figures from a ticket export: mapping, reading, tickets, figures, drivers and reports."""
