"""Per-text featurisation done once per training run and reused by every fit of that run.

`chatmon train` fits the same pipeline up to 24 times (5 outer CV folds × (3 threshold folds + 1),
then 3 + 1 for the shipped model), and every fit featurises its rows from scratch: normalisation,
jieba words, char n-grams, the rules and the message shape of the same texts, again and again; at
100k rows the featurisation cost as much as the solver. Everything per text is a pure function of
that text, so a `TextWork` computes it once per distinct text and serves it to every fit:

- each vectoriser's analyzer output, as term ids in one numbering for the whole run. A fit still
  builds its vocabulary (and sklearn still computes its IDF, min_df and max_features cut, sort) from
  ITS rows only: the run-wide numbering is a private index, never a feature, so no fold sees a term
  of rows it was not fitted on. Only the counting loop (sklearn's `_count_vocab`, Python per n-gram)
  is replaced, by a gather of the stored ids; its result is the same matrix and vocabulary.
- the rule counts and the message shape (RuleFeatures.row, ShapeFeatures.row) of each text.

All kinds of one new text are computed together, so the per-text caches below them (normalise,
rules, jieba, each an LRU of bounded size) hit instead of thrashing between passes over 100k+ texts.

The featurisation happens in the training process (the FeatureUnion runs there; only the per-label
solvers run in joblib workers), so one TextWork in that process serves every fit. The hooks are set
on the fitted pipeline's own transformer objects only while `serving` and removed after, so a saved
model holds plain sklearn vectorisers and the transformers as always.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from contextlib import contextmanager

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils._sparse import _align_api_if_sparse

# what a CountVectorizer's count matrix depends on (min_df, max_features, idf … act on it later)
_ANALYZER_PARAMS = ("input", "encoding", "decode_error", "strip_accents", "lowercase", "preprocessor",
                    "tokenizer", "analyzer", "stop_words", "token_pattern", "ngram_range")


class _Terms:
    """One analyzer's output for every text of the run. The analyzer's output depends only on
    `key(text)` (the normalised text, see _analysis_key), so texts with one key share one entry: the
    distinct terms of entry e are ids[start[e]:start[e+1]] (run-wide term numbers) with their counts,
    in order of first appearance in the text, and text slot s has entry entry_of[s]."""

    def __init__(self, analyze, key):
        self.analyze = analyze
        self.key = key
        # a new term gets the next number as sklearn's _count_vocab numbers them, so list(term_id)
        # is the terms in number order
        self.term_id: defaultdict = defaultdict()
        self.term_id.default_factory = self.term_id.__len__
        self._terms: list[str] = []
        self.entry: dict = {}
        self.entry_of = array("q")
        self.start = array("q", [0])
        self.ids = array("i")
        self.counts = array("i")

    @property
    def terms(self) -> list[str]:
        if len(self._terms) != len(self.term_id):
            self._terms = list(self.term_id)
        return self._terms

    def add(self, doc) -> None:
        k = self.key(doc)
        e = self.entry.get(k)
        if e is None:
            e = self.entry[k] = len(self.start) - 1
            counter = Counter(self.analyze(doc))     # keeps the order of first appearance
            term_id = self.term_id
            self.ids.extend([term_id[t] for t in counter])
            self.counts.extend(counter.values())
            self.start.append(len(self.ids))
        self.entry_of.append(e)

    def gather(self, slots: np.ndarray):
        """(indptr, term ids, counts) of these texts, row after row."""
        entries = np.frombuffer(self.entry_of, dtype=np.int64)[slots]
        start = np.array(self.start, dtype=np.int64)
        lo, hi = start[entries], start[entries + 1]
        indptr = np.zeros(len(slots) + 1, dtype=np.int64)
        np.cumsum(hi - lo, out=indptr[1:])
        where = np.repeat(lo - indptr[:-1], hi - lo) + np.arange(indptr[-1], dtype=np.int64)
        # copies (fancy indexing), so the arrays can grow again afterwards
        ids = np.frombuffer(self.ids, dtype=np.int32)[where]
        counts = np.frombuffer(self.counts, dtype=np.int32)[where]
        return indptr, ids, counts

    def count_vocab(self, vec, slots: np.ndarray, fixed_vocab: bool):
        """What `vec._count_vocab(docs, fixed_vocab)` returns for the texts in `slots`: the vocabulary
        (every term of these texts, or vec.vocabulary_ when fixed) and the count matrix over it."""
        indptr, ids, counts = self.gather(slots)
        if fixed_vocab:
            vocabulary = vec.vocabulary_
            column = np.full(len(self.term_id), -1, dtype=np.int64)
            for term, j in vocabulary.items():
                k = self.term_id.get(term)
                if k is not None:
                    column[k] = j
            cols = column[ids]
            keep = cols >= 0
            row = np.repeat(np.arange(len(slots)), np.diff(indptr))
            indptr = np.zeros(len(slots) + 1, dtype=np.int64)
            np.cumsum(np.bincount(row[keep], minlength=len(slots)), out=indptr[1:])
            cols, counts = cols[keep], counts[keep]
        else:
            # this fit's terms: only terms of the rows it is given, numbered in order of first
            # appearance as sklearn numbers them (it keeps that order within each row through its
            # later alphabetical renumbering, and the row sums of the l2 norm follow it)
            # (np.unique(return_index=True) would do, but its stable argsort of every entry costs
            # seconds at 100k rows; this is linear in the entries)
            first = np.full(len(self.term_id), len(ids), dtype=np.int64)
            np.minimum.at(first, ids, np.arange(len(ids), dtype=np.int64))
            present = np.flatnonzero(first < len(ids))
            if not len(present):
                raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
            present = present[np.argsort(first[present])]
            number = np.full(len(self.term_id), -1, dtype=np.int64)
            number[present] = np.arange(len(present))
            terms = self.terms
            vocabulary = {terms[k]: j for j, k in enumerate(present.tolist())}
            cols = number[ids]
        # as sklearn builds it: int32 indices unless too many entries, counts as vec.dtype, sorted
        index_dtype = np.int32 if indptr[-1] <= np.iinfo(np.int32).max else np.int64
        X = sp.csr_array((counts.astype(np.intc), cols.astype(index_dtype), indptr.astype(index_dtype)),
                         shape=(len(slots), len(vocabulary)), dtype=vec.dtype)
        X.sort_indices()
        return vocabulary, _align_api_if_sparse(X)


class _Rows:
    """A stateless per-text transformer's row (`transformer.row(text)`) for every text of the run."""

    def __init__(self, row):
        self.row = row
        self.width: int | None = None
        self.data = array("d")
        self.n = 0

    def add(self, doc) -> None:
        r = self.row(doc)
        if self.width is None:
            self.width = len(r)
        self.data.extend(r)
        self.n += 1

    def matrix(self, slots: np.ndarray):
        """What the transformer's transform returns for the texts in `slots`."""
        width = self.width or 0
        rows = np.frombuffer(self.data, dtype=np.float64).reshape(self.n, width)[slots]
        return sp.csr_matrix(rows)


def _analysis_key(vec):
    """A function of a text on which vec's analyzer output depends only. sklearn's own analyzers
    read the preprocessed text (here the normalised one), so texts that normalise alike (a disguised
    copy and its source, mostly) are analysed once; a callable analyzer says so by an attribute
    `depends_only_on` (monitor.detect.features.words: the normalised text); else the text itself."""
    decode = vec.decode
    if callable(vec.analyzer):
        inner = getattr(vec.analyzer, "depends_only_on", None)
        return (lambda doc: inner(decode(doc))) if inner is not None else (lambda doc: doc)
    preprocess = vec.build_preprocessor()
    return lambda doc: preprocess(decode(doc))


def _analyzer_key(vec) -> tuple | None:
    params = vec.get_params(deep=False)
    key = (type(vec).build_analyzer, *[(k, params.get(k)) for k in _ANALYZER_PARAMS])
    try:
        hash(key)
    except TypeError:      # a list of stop words: not worth caching, sklearn counts as usual
        return None
    return key


class TextWork:
    """The per-text work of one training run (see the module doc). Not thread-safe; one per run."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled     # False: serving changes nothing (to compare with and without)
        self.slot: dict[str, int] = {}
        self.texts: list[str] = []
        self.kinds: dict = {}

    def _kind(self, key, make):
        kind = self.kinds.get(key)
        if kind is None:
            kind = self.kinds[key] = make()
            for doc in self.texts:     # a kind first seen late catches up on the texts seen so far
                kind.add(doc)
        return kind

    def slots(self, docs) -> np.ndarray | None:
        """Each doc's slot, computing every kind for docs not seen before; None if a doc is not a str
        (the transformers then run as usual)."""
        out = np.empty(len(docs), dtype=np.int64)
        slot, kinds = self.slot, list(self.kinds.values())
        for i, doc in enumerate(docs):
            s = slot.get(doc) if doc.__class__ is str else -1
            if s is None:
                s = slot[doc] = len(self.texts)
                self.texts.append(doc)
                for kind in kinds:      # text by text: the LRU caches under them hit
                    kind.add(doc)
            elif s < 0:
                return None
            out[i] = s
        return out

    @contextmanager
    def serving(self, features):
        """Within this block, the parts of the FeatureUnion `features` (a fitted pipeline's, or one
        about to be fitted) take their per-text work from here. Parts it does not know (hashing
        vectorisers, anything without a `row` method) work as usual."""
        hooked = []
        for _, part in getattr(features, "transformer_list", []) if self.enabled else []:
            if isinstance(part, CountVectorizer):
                key = _analyzer_key(part)
                if key is None:
                    continue
                terms = self._kind(key, lambda part=part: _Terms(part.build_analyzer(), _analysis_key(part)))
                part._count_vocab = self._count_vocab_hook(part, terms)
                hooked.append((part, "_count_vocab"))
            elif callable(getattr(part, "row", None)) and hasattr(part, "transform"):
                rows = self._kind((type(part), "row"), lambda part=part: _Rows(part.row))
                part.transform = self._transform_hook(part, rows)
                hooked.append((part, "transform"))
        try:
            yield self
        finally:
            for part, name in hooked:
                part.__dict__.pop(name, None)

    def _count_vocab_hook(self, vec, terms: _Terms):
        original = type(vec)._count_vocab

        def count_vocab(raw_documents, fixed_vocab):
            docs = raw_documents if isinstance(raw_documents, list) else list(raw_documents)
            slots = self.slots(docs)
            if slots is None:
                return original(vec, docs, fixed_vocab)
            return terms.count_vocab(vec, slots, fixed_vocab)
        return count_vocab

    def _transform_hook(self, part, rows: _Rows):
        original = type(part).transform

        def transform(X):
            docs = X if isinstance(X, list) else list(X)
            slots = self.slots(docs)
            if slots is None or not len(docs):
                return original(part, docs)
            return rows.matrix(slots)
        return transform
