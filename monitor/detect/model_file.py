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
import threading
import zlib
from pathlib import Path

from ..errors import ChatmonError, UsageError
from ..filehash import file_sha256
from ..gcpause import collector_paused

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


def read_trusted_model(path: Path, card: dict, stand_ins: bool = False):
    """read_model_file(path), once the file's SHA-256 matches card["model_sha256"]. `stand_ins`: the
    sklearn objects replaced by the inference stand-ins of monitor.detect.standins where they cover the
    whole model (predicting only, no sklearn imported), else sklearn's own."""
    path = Path(path)
    want = card.get(CARD_KEY)
    if not isinstance(want, str) or not want:
        raise ModelNotTrusted(
            f"{path.parent / 'card.json'}: the card has no {CARD_KEY}, so {path.name} cannot be checked before it is "
            "loaded (model files are code). If the model comes from a place you trust, add the hash with: "
            f"python -m monitor.detect.model_file stamp {path.parent}")
    got = _take_prefetched(path)
    have = got.sha256 if got else file_sha256(path)
    if have != want.lower():
        raise ModelNotTrusted(
            f"{path}: SHA-256 {have} does not match its card ({want}); the file was changed after training "
            "and is not loaded (model files are code: load them only from places you trust)")
    # prefetched: the very bytes just hashed are the ones unpickled (no second read of the file)
    return _unpickle(got.raw, path, stand_ins) if got else read_model_file(path, stand_ins)


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


def _inflate(data: bytes) -> bytes | None:
    """The pickle inside a model file's bytes, or None where only joblib can read it."""
    raw = None
    if data[:1] == b"\x78":        # a zlib stream: ours, or joblib's compress=True/1-9
        try:
            raw = zlib.decompress(data)
        except zlib.error:
            raw = None
    elif data[:1] == b"\x80":      # an uncompressed pickle (joblib.dump without compress, or ours)
        raw = data
    return raw if raw is not None and _JOBLIB_ARRAYS not in raw else None


def _unpickle(raw: bytes | None, path: Path, stand_ins: bool = False):
    if raw is not None and stand_ins:
        from .standins import loads

        blob = loads(raw)
        if blob is not None:
            return blob
    if raw is not None:
        # the collector paused: unpickling makes ~300k objects (two vocabularies) and the collector
        # kept walking them while it did, a third of the 0.165 s pickle.loads took (fresh processes)
        with collector_paused():
            return pickle.loads(raw)
    import joblib

    return joblib.load(path)


def read_model_file(path: Path, stand_ins: bool = False):
    """The object saved in `path` by write_model_file or by joblib.dump (any compression); `stand_ins`
    as in read_trusted_model (a joblib.dump file always gets sklearn's objects)."""
    return _unpickle(_inflate(Path(path).read_bytes()), path, stand_ins)


# -- reading the model while the program starts ------------------------------------------------------
# `chatmon classify` spends ~0.4 s importing pandas, scipy and rjieba (~1.2 s with sklearn, before the
# inference stand-ins of monitor.detect.standins) before it can unpickle the model (imports hold the GIL),
# and 0.2 s more reading, hashing and inflating the model file. The last three release the GIL (file reads,
# hashlib on large buffers, zlib.decompress), so prefetch_model runs them in a thread started before those
# imports, on the machine's other core: the same CPU seconds, 0.2 s less waiting. read_trusted_model takes
# the thread's bytes when the file is still the one it read (same size and modification time), checks their
# SHA-256 against the card as before, and unpickles exactly the bytes it hashed.

class _Prefetched:
    def __init__(self, path: Path):
        self.path = path
        self.stat = _stat_key(path)
        self.data = b""
        self.raw: bytes | None = None
        self.sha256 = ""
        self.ok = False
        self.thread = threading.Thread(target=self._read, name="chatmon-model-prefetch", daemon=True)

    def _read(self) -> None:
        try:
            self.data = self.path.read_bytes()
            self.sha256 = hashlib.sha256(self.data).hexdigest()
            self.raw = _inflate(self.data)
            self.ok = True
        except Exception:       # noqa: BLE001 - any failure: read_trusted_model reads the file itself
            self.ok = False


_PREFETCHED: dict[Path, _Prefetched] = {}


def _stat_key(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def prefetch_model(model_dir) -> None:
    """Start reading `model_dir`/model.joblib in a background thread (see above); a missing file is
    left to load_model to report."""
    path = (Path(model_dir) / "model.joblib").resolve()
    if path in _PREFETCHED or _stat_key(path) is None:
        return
    got = _PREFETCHED[path] = _Prefetched(path)
    got.thread.start()


def _take_prefetched(path: Path) -> _Prefetched | None:
    """The prefetched read of `path` (waiting for it), once; None when there is none, it failed, or the
    file changed since."""
    got = _PREFETCHED.pop(Path(path).resolve(), None)
    if got is None:
        return None
    got.thread.join()
    return got if got.ok and got.stat is not None and got.stat == _stat_key(got.path) else None
