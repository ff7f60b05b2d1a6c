"""The classifier's features: jieba words and character 1-3-grams of the normalised text, and the
rule counts. Module-level functions only, so a fitted pipeline pickles and loads anywhere."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp

from ..text import digit_runs, normalise_text
from .batch_hits import match_starts, texts_with_hits

# rjieba (jieba-rs, compiled) is a default dependency: on the 25,624 real agent replies it cut 121k texts
# per CPU-second against jieba's 5.4k and cut 1 of them differently (0 of the 13,127 labelled texts the
# shipped model was trained on); bench/bench_segment.py, bench/RESULTS.md. jieba stays the reference and
# the fallback for a platform without an rjieba wheel.
try:
    import rjieba as _rjieba

    SEGMENTER = "rjieba"

    def _cut(text: str) -> list[str]:
        return _rjieba.cut(text)
except ImportError:  # pragma: no cover - only where no rjieba wheel installs
    import logging as _logging

    import jieba as _jieba
    _jieba.setLogLevel(_logging.WARNING)
    SEGMENTER = "jieba"

    def _cut(text: str) -> list[str]:
        return _jieba.lcut(text)


@lru_cache(maxsize=200_000)
def _words(norm: str) -> tuple[str, ...]:
    return tuple(filter(str.strip, _cut(norm)))      # whitespace tokens dropped (at C speed)


def words(text: str) -> list[str]:
    """jieba words of the normalised text (cached on the normalised string: chats repeat a lot)."""
    return list(_words(normalise_text(text)))


# the words depend on the normalised text only: training analyses each normalised text once
# (monitor.detect.textwork), not each of its disguises
words.depends_only_on = normalise_text


def _words_many(texts: list[str]) -> list[list[str]]:
    """words() of each text, without the per-text cache: bulk_counts gets a batch of distinct texts
    (the classifier scores each once), so the cache only cost time there."""
    return [list(filter(str.strip, _cut(n))) for n in map(normalise_text, texts)]


words.many = _words_many      # what bulk_counts calls for a batch


_LATIN_ID = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_\-]{5,19}(?![A-Za-z0-9_])")
_TRACKING = re.compile(r"^[A-Za-z]{1,4}\d{8,}[A-Za-z]{0,2}$")   # SF1234567890123, EA123456789CN
# 8+ digits inside a token: an order, tracking or serial number (ORDERID_10003935), not a chosen handle
_LONG_DIGITS = re.compile(r"\d{8,}")
_FIVE_DIGITS = re.compile(r"[0-9]{5,}")     # what monitor.text.normalise.digit_runs looks for
SHAPE_NAMES = ("contact_length_number", "id_like_token", "len_le_4", "len_5_10", "len_11_30", "len_gt_30")


def shape_vector(text: str) -> list[float]:
    """Shapes no n-gram sees: a digit run of phone/QQ length (5-11 digits, in any digit style:
    一一二二三三, ①③⑧), an ID-like Latin token with a digit or underscore (WeChat IDs), and the
    message length bucket (a two-character reply carries little evidence; the model should know)."""
    norm = normalise_text(text)
    # a run glued to Latin letters is a code (EA123456789CN, SF…), not a phone or QQ number; most
    # texts have no run at all (digit_runs finds them as 5+ ASCII digits of the normalised text)
    runs = [d for a, _, d in digit_runs(text) if 5 <= len(d) <= 11 and not (a and text[a - 1].isascii()
                                                                           and (text[a - 1].isalpha()
                                                                                or text[a - 1] == "_"))] \
        if _FIVE_DIGITS.search(norm) else []
    ids = [m.group(0) for m in _LATIN_ID.finditer(text)
           if re.search(r"[0-9_]", m.group(0)) and not _TRACKING.match(m.group(0))
           and not _LONG_DIGITS.search(m.group(0))]
    n = len(norm)
    return [min(len(runs), 2) / 2, min(len(ids), 2) / 2, float(n <= 4), float(5 <= n <= 10),
            float(11 <= n <= 30), float(n > 30)]


def shape_rows(texts: list[str]) -> np.ndarray:
    """(n, len(SHAPE_NAMES)) float64: shape_vector of each text. The length buckets for all texts at
    once; the digit-run and ID columns are 0 unless the text's normalised form has a run of 5+ digits or
    the text an ID-like token, found for the whole batch in one regex pass each over the texts joined
    by a newline (monitor/detect/batch_hits.py; neither pattern matches across one, and both treat it
    like the string's edge); only the texts with one go through shape_vector. tests/test_classifier_shape_rows.py checks it against
    shape_vector."""
    n = len(texts)
    out = np.zeros((n, len(SHAPE_NAMES)), dtype=np.float64)
    if not n:
        return out
    norms = [normalise_text(t) for t in texts]
    length = np.fromiter(map(len, norms), dtype=np.int64, count=n)
    out[:, 2] = length <= 4
    out[:, 3] = (5 <= length) & (length <= 10)
    out[:, 4] = (11 <= length) & (length <= 30)
    out[:, 5] = length > 30
    hit = texts_with_hits(norms, match_starts(_FIVE_DIGITS)) | texts_with_hits(texts, match_starts(_LATIN_ID))
    for i in np.flatnonzero(hit).tolist():
        out[i] = shape_vector(texts[i])
    return out


class ShapeCounts:
    """shape_rows as a stateless transformer's transform and feature names. ShapeFeatures (training,
    monitor.detect.estimators) and its inference stand-in (monitor.detect.standins) are both one."""

    def transform(self, X):
        return sp.csr_matrix(shape_rows([str(t) for t in X]))

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"shape={n}" for n in SHAPE_NAMES], dtype=object)


def make_features(hashing: bool = False, max_char_features: int = 300_000, char_range=(1, 3),
                  min_df: int = 1):
    """words TF-IDF + char 1-3-gram TF-IDF + rule counts + message shape.

    Fitted vocabularies are the default: they give readable feature names for evidence
    ("model:加我") and, on our corpus size, a model of a few MB. `hashing=True` is kept for
    corpora too big for a vocabulary in memory (train.py measures both on the same folds).
    """
    # scikit-learn here, not at the top: predicting with a saved model needs this module, not sklearn
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, make_pipeline

    from .estimators import RuleFeatures, ShapeFeatures

    if hashing:
        words_vec = make_pipeline(HashingVectorizer(analyzer=words, n_features=2 ** 20, alternate_sign=False,
                                                    norm=None), TfidfTransformer(sublinear_tf=True))
        chars_vec = make_pipeline(HashingVectorizer(analyzer="char", ngram_range=tuple(char_range), preprocessor=normalise_text,
                                                    lowercase=False, n_features=2 ** 20, alternate_sign=False,
                                                    norm=None), TfidfTransformer(sublinear_tf=True))
    else:
        words_vec = TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=min_df)
        chars_vec = TfidfVectorizer(analyzer="char", ngram_range=tuple(char_range), preprocessor=normalise_text,
                                    lowercase=False, sublinear_tf=True, min_df=min_df, max_features=max_char_features)
    return FeatureUnion([("words", words_vec), ("chars", chars_vec), ("rules", RuleFeatures()),
                         ("shape", ShapeFeatures())])


# -- counting against a fitted vocabulary, in bulk ----------------------------------------------------
# sklearn's CountVectorizer._count_vocab looks every term up in a Python dict, one term at a time: on
# the real-text night (75k distinct seller texts) that loop was half of classifying. Here each text is
# still analysed as sklearn analyses it, but the lookups happen for all texts at once: char n-grams as
# integer keys built with numpy (no string per n-gram), in one pandas hash-table lookup; other
# analyzers' terms (strings that exist already) by the vocabulary dict's own lookup, in one C-level
# map over the batch, with no sparse matrix built per text. The count matrix is the same as sklearn's,
# so TF-IDF and everything after it are unchanged (tests/test_classifier_bulk_counts.py compares them).

_KEY_BITS = 21                       # every code point is < 2**21; three fit in an int64
_WHITE_SPACES = re.compile(r"\s\s+")  # sklearn's _VectorizerMixin._white_spaces
_tables: "weakref.WeakKeyDictionary" = None  # vectoriser -> (its vocabulary_, lookup table)


def _char_keys(codes: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """The integer key of the n-gram starting at each of `starts` (code points + 1, 21 bits each)."""
    key = codes[starts] + 1
    for k in range(1, n):
        key = key | ((codes[starts + k] + 1) << (_KEY_BITS * k))
    return key


def _term_keys(terms: list[str]) -> np.ndarray:
    """_char_keys of each term (1-3 characters) as a whole."""
    lens = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    codes = np.frombuffer("".join(terms).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    starts = np.cumsum(lens) - lens
    within = np.arange(len(codes)) - np.repeat(starts, lens)
    return np.add.reduceat((codes + 1) << (_KEY_BITS * within), starts) if len(terms) else codes


def _bulk_char(vec) -> bool:
    return (vec.analyzer == "char" and 1 <= vec.ngram_range[0] <= vec.ngram_range[1] <= 3
            and vec.input == "content")


def _table(vec):
    """The vectoriser's vocabulary as a lookup table, built once per fitted vocabulary."""
    global _tables
    import weakref

    if _tables is None:
        _tables = weakref.WeakKeyDictionary()
    got = _tables.get(vec)
    if got is not None and got[0] is vec.vocabulary_:
        return got[1]
    if _bulk_char(vec):
        import pandas as pd

        terms = list(vec.vocabulary_)
        ids = np.fromiter(vec.vocabulary_.values(), dtype=np.int64, count=len(terms))
        table = ("char", pd.Index(_term_keys(terms)), ids)
    else:
        # terms are looked up in the vocabulary dict itself: for jieba words (strings the analyzer
        # just made) a dict probe per term took a third of the time of building a pandas Index of
        # them and hashing that (0.035 against 0.10 s for 789k words of 40k real texts)
        table = ("terms", vec.vocabulary_, None)
    _tables[vec] = (vec.vocabulary_, table)
    return table


def _plain_strings(vec, docs: list) -> bool:
    """Would vec.decode return each doc as it is (text given as str, not bytes, files or NaN)?"""
    return vec.input == "content" and all(d.__class__ is str for d in docs)


def bulk_counts(vec, docs: list) -> sp.csr_matrix:
    """What `vec._count_vocab(docs, fixed_vocab=True)[1]` returns for a fitted CountVectorizer/
    TfidfVectorizer: the term counts of each document over the fitted vocabulary (sorted indices)."""
    kind, keys, ids = _table(vec)
    n_docs = len(docs)
    if kind == "char":
        prep = vec.build_preprocessor()
        if _plain_strings(vec, docs):
            texts = list(map(prep, docs))                   # vec.decode returns a str as it is
        else:
            texts = [prep(vec.decode(d)) for d in docs]
        # sklearn folds runs of whitespace into one space text by text; most batches (normalised
        # text) have none, which one search of the batch (joined by a non-space) tells
        if _WHITE_SPACES.search("\x00".join(texts)):
            texts = [_WHITE_SPACES.sub(" ", t) for t in texts]
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=n_docs)
        # surrogatepass: a lone surrogate (JSON can carry one) is one code point here as in the str
        codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        ends = np.repeat(np.cumsum(lens), lens)             # per character: where its document ends
        doc_of = np.repeat(np.arange(n_docs), lens)
        pos = np.arange(len(codes))
        rows, cols = [], []
        lo, hi = vec.ngram_range
        for n in range(lo, hi + 1):
            starts = pos[pos + n <= ends]
            at = keys.get_indexer(_char_keys(codes, starts, n))      # a hash lookup: -1 if not a term
            hit = at >= 0
            rows.append(doc_of[starts[hit]])
            cols.append(ids[at[hit]])
        rows, cols = np.concatenate(rows), np.concatenate(cols)
    else:
        if callable(vec.analyzer) and _plain_strings(vec, docs):
            # what build_analyzer's wrapper calls, for all docs at once where the analyzer can
            many = getattr(vec.analyzer, "many", None)
            analysed = many(docs) if callable(many) else list(map(vec.analyzer, docs))
        else:
            analyze = vec.build_analyzer()
            analysed = [analyze(d) for d in docs]
        lens = np.fromiter(map(len, analysed), dtype=np.int64, count=n_docs)
        n_terms = int(lens.sum())
        # each term's column, -1 where it is not in the vocabulary (sklearn skips those too)
        at = np.fromiter(map(keys.get, chain.from_iterable(analysed), repeat(-1, n_terms)), dtype=np.int64,
                         count=n_terms)
        hit = at >= 0
        rows = np.repeat(np.arange(n_docs), lens)[hit]
        cols = at[hit]
    X = sp.csr_matrix((np.ones(len(rows), dtype=vec.dtype), (rows, cols)),
                      shape=(n_docs, len(vec.vocabulary_)), dtype=vec.dtype)
    X.sum_duplicates()          # counts, indices sorted within each row, as sklearn leaves them
    if X.indices.dtype != np.int32 and X.nnz < np.iinfo(np.int32).max:
        X.indices = X.indices.astype(np.int32)
        X.indptr = X.indptr.astype(np.int32)
    return X


def transform(features, texts: list[str]):
    """features.transform(texts) with the fitted vectorisers' counting done by bulk_counts (which the
    inference stand-ins of monitor.detect.standins do themselves)."""
    if getattr(features, "counts_in_bulk", False):
        return features.transform(texts)
    from sklearn.feature_extraction.text import CountVectorizer     # (a fitted sklearn union: loaded)

    hooked = []
    for _, part in getattr(features, "transformer_list", ()):      # (any other transformer: as it is)
        if isinstance(part, CountVectorizer) and getattr(part, "vocabulary_", None) is not None \
                and "_count_vocab" not in part.__dict__:      # (training's TextWork hooks it itself)
            part._count_vocab = lambda docs, fixed_vocab, part=part: (part.vocabulary_, bulk_counts(part, list(docs)))
            hooked.append(part)
    try:
        return features.transform(texts)
    finally:
        for part in hooked:
            part.__dict__.pop("_count_vocab", None)


def __getattr__(name: str):
    # ShapeFeatures, shape_rows as a scikit-learn transformer, is defined in monitor.detect.estimators so
    # that predicting, which needs this module, imports no scikit-learn; it keeps this module's name
    # (in pickled models too) and is imported from there on first use
    if name == "ShapeFeatures":
        from .estimators import ShapeFeatures

        return ShapeFeatures
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
