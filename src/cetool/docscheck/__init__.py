"""`cetool check`: every file of a docs root through the features' checks, and `--base`."""
