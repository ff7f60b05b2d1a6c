"""model.joblib on disk: a zlib-compressed pickle that both joblib.load and the C unpickler read.

Why not joblib.dump: joblib stores numpy arrays outside the pickle stream, so only its own
Unpickler, written in Python, can read the file back, and on our model (two vocabularies of ~130k
entries whose values are numpy integers) that takes ~0.7 s of every `chatmon classify`. A plain
pickle (protocol 5), compressed with zlib at joblib's compress=3 level, is the same size and loads
in ~0.1 s with pickle.loads; joblib.load still reads it (it detects zlib by its first byte), so
tools that expect a joblib file keep working. Files written by joblib.dump (older models) are still
read, through joblib.

A model file is a pickle, and unpickling runs code: load models only from places you trust. The card
beside it (card.json) carries the file's SHA-256 (`model_sha256`, written by `chatmon train`), and
read_trusted_model checks it before anything is unpickled, so a model file swapped or altered after
training is refused instead of run. `python -m monitor.detect.model_file stamp DIR` writes the hash
into DIR's card, for a model you trust that was trained before cards carried it.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
import zlib
from pathlib import Path

from ..errors import ChatmonError, UsageError
from ..filehash import file_sha256

# where `make model` puts the shipped model, and where every command looks without --model
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "default"

# joblib's pickles of numpy arrays name this class; a plain pickle never does (unless a vocabulary
# holds the word itself, and then joblib, slower but correct, reads the file)
_JOBLIB_ARRAYS = b"NumpyArrayWrapper"
_ZLIB_LEVEL = 3


def model_bytes(blob) -> bytes:
    return zlib.compress(pickle.dumps(blob, protocol=5), _ZLIB_LEVEL)


def write_model_file(path: Path, blob) -> str:
    """Write the model; returns the file's SHA-256 (for its card)."""
    data = model_bytes(blob)
    Path(path).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


CARD_KEY = "model_sha256"


class ModelNotTrusted(UsageError):
    """The model file does not match its card (or the card cannot say): it is not unpickled."""


def read_card(folder: Path) -> dict:
    card_path = Path(folder) / "card.json"
    if not card_path.exists():
        raise ModelNotTrusted(f"{card_path}: no model card beside model.joblib, so the model file's SHA-256 cannot "
                              "be checked; model files are code, load them only from places you trust")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ChatmonError(f"{card_path}: not valid JSON ({exc})") from None
    if not isinstance(card, dict):
        raise ChatmonError(f"{card_path}: not a model card (a JSON object)")
    return card


def read_trusted_model(path: Path, card: dict):
    """read_model_file(path), once the file's SHA-256 matches card["model_sha256"]."""
    path = Path(path)
    want = card.get(CARD_KEY)
    if not isinstance(want, str) or not want:
        raise ModelNotTrusted(
            f"{path.parent / 'card.json'}: the card has no {CARD_KEY}, so {path.name} cannot be checked before it is "
            "loaded (model files are code). If the model comes from a place you trust, add the hash with: "
            f"python -m monitor.detect.model_file stamp {path.parent}")
    have = file_sha256(path)
    if have != want.lower():
        raise ModelNotTrusted(
            f"{path}: SHA-256 {have} does not match its card ({want}); the file was changed after training "
            "and is not loaded (model files are code: load them only from places you trust)")
    return read_model_file(path)


def stamp(folder: Path) -> str:
    """Write model.joblib's SHA-256 into the card of `folder` (for a trusted model whose card lacks it)."""
    from ..atomic import write_text

    folder = Path(folder)
    card = read_card(folder)
    card[CARD_KEY] = file_sha256(folder / "model.joblib")
    write_text(folder / "card.json", json.dumps(card, ensure_ascii=False, indent=2) + "\n")
    return card[CARD_KEY]


if __name__ == "__main__":     # python -m monitor.detect.model_file stamp DIR
    if len(sys.argv) != 3 or sys.argv[1] != "stamp":
        sys.exit("usage: python -m monitor.detect.model_file stamp MODEL_DIR")
    print(stamp(Path(sys.argv[2])))


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
