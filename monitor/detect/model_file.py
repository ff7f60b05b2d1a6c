"""model.joblib on disk: a zlib-compressed pickle that both joblib.load and the C unpickler read.

Why not joblib.dump: joblib stores numpy arrays outside the pickle stream, so only its own
Unpickler, written in Python, can read the file back, and on our model (two vocabularies of ~130k
entries whose values are numpy integers) that takes ~0.7 s of every `chatmon classify`. A plain
pickle (protocol 5), compressed with zlib at joblib's compress=3 level, is the same size and loads
in ~0.1 s with pickle.loads; joblib.load still reads it (it detects zlib by its first byte), so
tools that expect a joblib file keep working. Files written by joblib.dump (older models) are still
read, through joblib.
"""

from __future__ import annotations

import pickle
import zlib
from pathlib import Path

# joblib's pickles of numpy arrays name this class; a plain pickle never does (unless a vocabulary
# holds the word itself, and then joblib, slower but correct, reads the file)
_JOBLIB_ARRAYS = b"NumpyArrayWrapper"
_ZLIB_LEVEL = 3


def model_bytes(blob) -> bytes:
    return zlib.compress(pickle.dumps(blob, protocol=5), _ZLIB_LEVEL)


def write_model_file(path: Path, blob) -> None:
    Path(path).write_bytes(model_bytes(blob))


def read_model_file(path: Path):
    """The object saved in `path` by write_model_file or by joblib.dump (any compression)."""
    data = Path(path).read_bytes()
    raw = None
    if data[:1] == b"\x78":        # a zlib stream: ours, or joblib's compress=True/1-9
        try:
            raw = zlib.decompress(data)
        except zlib.error:
            raw = None
    elif data[:1] == b"\x80":      # an uncompressed pickle (joblib.dump without compress, or ours)
        raw = data
    if raw is not None and _JOBLIB_ARRAYS not in raw:
        return pickle.loads(raw)
    import joblib

    return joblib.load(path)
