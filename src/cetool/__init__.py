"""cetool — Customer Engineering toolkit for a git docs repo.

Importing this package stays cheap: no pandas, no rich, no pydantic at import time.
"""

__version__ = "0.1.0"
