"""Training-time disguises: deterministic, label-preserving, family-preserving, neutral for ok rows."""

import random

from monitor.detect.augment import _digits, _full_width, _symbols, augment, disguise

ROWS = (["加我微信 abc12345 发你优惠", "好评返现5元哦", "好的亲，马上为您发货", "爱买不买"],
        [["diversion"], ["qr_lure"], [], ["negative"]],
        ["f1", "f2", "f3", "f4"])


def test_same_seed_same_variants():
    assert augment(*ROWS, seed=7) == augment(*ROWS, seed=7)


def test_different_seed_different_variants():
    assert augment(*ROWS, seed=1)[0] != augment(*ROWS, seed=2)[0]


def test_variants_keep_label_and_family_and_differ_from_source():
    texts, labels, fams = augment(*ROWS, seed=3, ok_share=1.0)
    src = dict(zip(ROWS[2], zip(ROWS[0], ROWS[1])))
    assert texts
    for t, labs, fam in zip(texts, labels, fams):
        original, original_labels = src[fam]
        assert labs == original_labels
        assert t != original


def test_negative_rows_are_not_disguised():
    # disguise is an evasion of contact/lure/harassment rules; rudeness is not disguised
    _, _, fams = augment(*ROWS, seed=3, ok_share=1.0)
    assert "f4" not in fams


def test_ok_rows_only_when_asked():
    _, _, fams = augment(*ROWS, seed=3, ok_share=0.0)
    assert "f3" not in fams


def test_symbols_split_a_contact_word():
    rng = random.Random(0)
    out = _symbols(rng, "加我微信")
    assert out != "加我微信" and out.startswith("加") and "微" in out and "信" in out
    assert len(out) > len("加我微信")


def test_full_width_and_digit_styles():
    assert _full_width(random.Random(0), "vx abc123") == "ｖｘ\u3000ａｂｃ１２３".replace("\u3000", " ")
    out = _digits(random.Random(0), "电话13912345678")
    assert out != "电话13912345678" and out.startswith("电话") and len(out) == len("电话13912345678")


def test_disguise_returns_none_when_nothing_applies():
    assert disguise("", random.Random(0)) is None


def test_hard_negatives_get_the_disguises_too():
    # 支持微信支付吗 is ok; its disguised copies stay ok, so 薇信 alone never means diversion
    texts, labels, fams = augment(["支持微信支付吗"], [[]], ["h"], seed=3, ok_share=0.0)
    assert texts and all(labs == [] for labs in labels) and set(fams) == {"h"}
    assert augment(["支持微信支付吗"], [[]], ["h"], seed=3, ok_share=0.0, hard_negatives=False) == ([], [], [])
