"""String columns as integer codes: exact codes of any column (the ids the collapse must tell
apart) and cleaned codes of the few-valued columns the figures group by (priority, root cause,
account, packet id), with no Python string object made per row.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cetool.metrics.layouts import text_array
from cetool.metrics.values import integers


def codes_of(strings: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, pa.Array]:
    """int32 codes of the values as they are (equal values share a code, -1 for none) and the
    distinct values, hashed by Arrow over the bytes: no Python string object is made per row."""
    if pa.types.is_dictionary(strings.type):  # read encoded: each chunk has a dictionary of its own
        encoded = strings.unify_dictionaries() if isinstance(strings, pa.ChunkedArray) else strings
    else:
        encoded = pc.dictionary_encode(strings)  # the chunks of a chunked result share one dictionary
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    chunks = [chunk for chunk in chunks if len(chunk)]
    if not chunks:
        return np.zeros(0, dtype=np.int32), text_array([])
    return integers(pa.chunked_array([chunk.indices for chunk in chunks]), -1, np.int32), chunks[-1].dictionary


class _Names:
    """Cleaned distinct values and their codes: values that clean to the same text share a code,
    empty is none (-1)."""

    def __init__(self, clean) -> None:
        self.clean, self.names, self.where = clean, [], {}

    def table(self, raw_values: list[str]) -> np.ndarray:
        """The code of each raw value, and -1 in a last slot (for the rows without a value)."""
        out = np.full(len(raw_values) + 1, -1, dtype=np.int32)
        for position, raw in enumerate(raw_values):
            text = self.clean(raw)
            if text:
                out[position] = self.where.setdefault(text, len(self.names))
                if out[position] == len(self.names):
                    self.names.append(text)
        return out


def encode(strings: pa.ChunkedArray | pa.Array, clean=str.strip) -> tuple[np.ndarray, list[str]]:
    """Codes (int32, -1 for none) into the distinct cleaned values, for low-cardinality columns.

    The distinct raw values are few, so cleaning (trimming, lower-casing) happens once per
    distinct value in Python. A column the reader dictionary-encoded is mapped a chunk at a
    time through each chunk's own dictionary (unifying the dictionaries first costs a pass more).
    """
    names = _Names(clean)
    chunks = strings.chunks if isinstance(strings, pa.ChunkedArray) else [strings]
    if pa.types.is_dictionary(strings.type) and sum(len(c.dictionary) for c in chunks) * 8 < len(strings):
        out, position = np.empty(len(strings), dtype=np.int32), 0
        for chunk in chunks:
            table = names.table(chunk.dictionary.to_pylist())
            out[position:position + len(chunk)] = table[integers(chunk.indices, -1, np.int32)]
            position += len(chunk)
        return out, names.names
    codes, distinct = codes_of(strings)
    if not len(codes):
        return codes, []
    return names.table(distinct.to_pylist())[codes], names.names
