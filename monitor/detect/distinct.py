"""Identical training rows merged into one row with a weight, so the solver sees each once.

Disguised copies mostly normalise back to their source (微-信 → 微信: undoing disguises is what the
normaliser is for), so a large corpus plus its augmentation holds the same feature row many times
over: 183k rows, 28k distinct, on the 100k-row benchmark set. A linear SVM (or logistic regression)
fitted on the distinct rows with weight = how many rows each stands for minimises the same objective
as one fitted on every row (C·Σ loss is a sum over rows), and so does a weighted sigmoid calibration;
only where the solver stops short of the exact optimum (its tolerance) can the two differ.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def distinct_rows(X, Y, groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(representative, inverse, count) over the rows of sparse X, label matrix Y and groups.

    Rows merge only when their features, their labels and their group are all equal, so a merged
    row still belongs to one group (one side of every grouped split). `representative`: index of the
    first row of each distinct row, in order of first appearance; `inverse[i]`: the distinct row
    that row i became; `count[j]`: how many rows distinct row j stands for (float, for sample_weight).
    """
    X = sp.csr_matrix(X)
    if not X.has_sorted_indices:   # equal rows must have equal bytes
        X = X.sorted_indices()
    Y = np.ascontiguousarray(np.asarray(Y))
    groups = np.asarray(groups)
    first: dict = {}
    rep: list[int] = []
    inverse = np.empty(X.shape[0], dtype=np.int64)
    indptr, indices, data = X.indptr, X.indices, X.data
    for i in range(X.shape[0]):
        a, b = indptr[i], indptr[i + 1]
        key = (indices[a:b].tobytes(), data[a:b].tobytes(), Y[i].tobytes(), groups[i])
        j = first.get(key)
        if j is None:
            j = first[key] = len(rep)
            rep.append(i)
        inverse[i] = j
    count = np.bincount(inverse, minlength=len(rep)).astype(np.float64)
    return np.asarray(rep, dtype=np.int64), inverse, count
