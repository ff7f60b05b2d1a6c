"""How a night's shops are cut into batches for the workers: whole groups of shops, in name order,
about equal batches, as many as the limit asks rounded up to a whole number per worker, so the
workers end together (scan._batches), and the order the batches start in (scan._second_pass_order)."""

from monitor.scan import _batches, _Input, _Night, _second_pass_order


def _plan(sizes: dict, limit: int, workers: int, together=()) -> list[list[str]]:
    night = _Night()
    inputs = [_Input(f"sha-{shop}", n, [shop]) for shop, n in sizes.items()]
    for shop in sizes:
        night.shops.find(shop)
    for a, b in together:
        night.shops.union(a, b)
    return [[i.shops[0] for i in batch] for batch in _batches(inputs, night, limit, workers)]


def test_equal_batches_a_whole_number_per_worker():
    shops = {f"s{k:02d}": 5 for k in range(20)}             # 100 messages
    # a limit of 40 asks for 3 batches: 4 with two workers, 25 messages each (not 40, 40, 20)
    assert [len(b) for b in _plan(shops, 40, 2)] == [5, 5, 5, 5]
    assert [len(b) for b in _plan(shops, 40, 1)] == [7, 6, 7]
    assert [len(b) for b in _plan(shops, 1000, 2)] == [10, 10]
    assert [len(b) for b in _plan(shops, 1000, 1)] == [20]


def test_cuts_fall_between_whole_shops_near_each_share():
    assert _plan({"a": 30, "b": 10, "c": 10, "d": 30, "e": 20}, 60, 2) == [["a", "b", "c"], ["d", "e"]]
    assert _plan({"a": 30, "b": 10, "c": 10, "d": 30, "e": 20}, 30, 2) == [["a"], ["b", "c"], ["d"], ["e"]]


def test_the_limit_still_bounds_a_batch_and_a_big_group_stays_whole():
    assert _plan({"a": 10, "b": 10, "c": 95, "d": 10}, 25, 1) == [["a", "b"], ["c"], ["d"]]
    # shops that must be analysed together share a batch, whatever their sizes
    assert _plan({"a": 10, "b": 10, "c": 10, "d": 10}, 10, 2, together=[("a", "d")]) == [["a", "d"], ["b"], ["c"]]


def test_a_limit_of_one_gives_every_group_its_own_batch():
    assert _plan({"a": 3, "b": 1, "c": 2}, 1, 2) == [["a"], ["b"], ["c"]]


def test_a_big_batch_starts_first_the_rest_in_order():
    assert _second_pass_order([70, 75, 70, 75]) == [0, 1, 2, 3]
    assert _second_pass_order([70, 200, 75, 70]) == [1, 0, 2, 3]
    assert _second_pass_order([]) == []
