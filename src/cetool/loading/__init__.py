"""The edge: the only package that touches files. Everything it returns is plain data plus problems."""
