"""Grouped stratified folds (monitor.detect.folds)."""

import numpy as np
from hypothesis import given, settings, strategies as st

from monitor.detect.folds import grouped_folds


def test_literal_split_keeps_groups_whole_and_spreads_the_stratum():
    strata = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    groups = ["a", "a", "b", "c", "d", "d", "e", "f", "g", "h"]
    folds = grouped_folds(strata, groups, 2, seed=0)
    assert len(folds) == 2
    for tr, te in folds:
        assert set(tr) | set(te) == set(range(10)) and not set(tr) & set(te)
        test_groups = {groups[i] for i in te}
        assert not test_groups & {groups[i] for i in tr}
    # stratum 1 has 4 rows in groups of 2, 1, 1: the two folds hold 2 and 2
    assert sorted(sum(strata[i] for i in te) for _, te in folds) == [2, 2]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 30)), min_size=5, max_size=200),
       st.integers(2, 5), st.integers(0, 1000))
def test_every_row_tested_once_and_no_group_straddles(rows, k, seed):
    strata = [s for s, _ in rows]
    groups = [f"g{g}" for _, g in rows]
    folds = grouped_folds(strata, groups, k, seed)
    tested = np.concatenate([te for _, te in folds])
    assert sorted(tested) == list(range(len(rows)))
    for tr, te in folds:
        assert not {groups[i] for i in te} & {groups[i] for i in tr}
    assert grouped_folds(strata, groups, k, seed)[0][1].tolist() == folds[0][1].tolist()
