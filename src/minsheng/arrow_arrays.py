"""Values handed to Arrow, and Arrow's kernels called, without pyarrow's two costly doors.

``pa.array`` imports pandas on its first call (a quarter of a second cold), and importing
``pyarrow.compute`` builds a Python wrapper for every kernel (30 ms). Neither buys
anything a short run needs, and both the spatial readers and writers (ingest) and the
store's observation scan feed NumPy columns to Arrow; so the one way in sits here, beside
:mod:`minsheng.names` and :mod:`minsheng.units`, where every layer may reach it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


def compute(name: str, *args: Any, options: Any = None) -> Any:  # noqa: ANN401 - Arrow values
    """Arrow's compute function ``name`` on ``args``, as ``pyarrow.compute.<name>`` would."""
    try:
        from pyarrow._compute import call_function
    except ImportError:  # pragma: no cover - a pyarrow without the private module
        from pyarrow.compute import call_function
    return call_function(name, list(args), options)


def from_numpy(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A one-dimensional numeric or boolean NumPy array as Arrow, over its own buffer where
    contiguous; ``valid`` says which rows hold a value (the others are null)."""
    import numpy as np
    import pyarrow as pa

    values = np.ascontiguousarray(values)
    if values.dtype == np.bool_:
        kind, data = pa.bool_(), np.packbits(values, bitorder="little")
    else:
        kind, data = pa.from_numpy_dtype(values.dtype), values
    mask = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(kind, len(values), [mask, pa.py_buffer(data)])


def texts(values: Sequence[str | None]) -> pa.Array:
    """A list of texts (None: a null) as an Arrow string array."""
    import numpy as np
    import pyarrow as pa

    encoded = [b"" if v is None else v.encode() for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    valid = np.packbits(np.array([v is not None for v in values], dtype=bool), bitorder="little")
    buffers = [pa.py_buffer(valid), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(pa.string(), len(values), buffers)
