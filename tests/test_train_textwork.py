"""monitor.detect.textwork: training's per-text featurisation cache changes nothing but the time.

The fitted features (vocabularies, IDF, the matrices, their byte layout) and the fitted pipeline must
be what a plain sklearn fit gives, and a fit must still only see terms of its own rows."""

import pickle
import random

import numpy as np
import pytest

from monitor.detect.augment import disguise
from monitor.detect.model import make_pipeline
from monitor.detect.textwork import TextWork
from monitor.detect.train import _fit, _proba, grouped_proba

BASE = ["加我微信聊", "加我vx发你", "有事加我扣扣", "私聊我的微信号", "好评返现五元", "晒图返现哦", "扫码领红包",
        "爱买不买", "自己看详情页", "烦不烦啊", "求求你改差评吧", "不改差评我天天找你", "好的亲", "马上为您发货",
        "您好在的", "亲亲稍等", "支持微信支付吗", "快递单号已发您", "我的电话13812345678", "wx号 abc_12345",
        "ＱＱ 一二三四五六七", "加 微-信 领券", "收到了，谢谢", "这个尺码偏大吗"]
LABELS = {"加我": ["diversion"], "vx": ["diversion"], "扣扣": ["diversion"], "微信号": ["diversion"],
          "返现": ["qr_lure"], "红包": ["qr_lure"], "爱买": ["negative"], "烦": ["negative"],
          "差评": ["harassment"]}


def _corpus(n=160, seed=3):
    rng = random.Random(seed)
    texts = list(BASE)
    while len(texts) < n:
        t = disguise(rng.choice(BASE), rng) or rng.choice(BASE) + rng.choice("哦呢～!")
        texts.append(t)
    labels = [next((v for k, v in LABELS.items() if k in t), []) for t in texts]
    families = [f"f{BASE.index(t) if t in BASE else i % 24}" for i, t in enumerate(texts)]
    return texts, labels, families


def _same_csr(a, b):
    assert type(a) is type(b) and a.shape == b.shape
    for attr in ("indptr", "indices", "data"):
        x, y = getattr(a, attr), getattr(b, attr)
        assert x.dtype == y.dtype and np.array_equal(x, y), attr


def test_features_fitted_from_the_cache_are_a_plain_fit_byte_for_byte():
    texts, _, _ = _corpus()
    train, test = texts[:100], texts[100:]
    plain = make_pipeline().named_steps["features"]
    cached = make_pipeline().named_steps["features"]
    work = TextWork()
    with work.serving(cached):
        work.slots(test + ["别的话"])          # texts seen first, by other fits, take no part in this one
        Xc = cached.fit_transform(train)
        Tc = cached.transform(test)
    Xp = plain.fit_transform(train)
    _same_csr(Xp, Xc)
    _same_csr(plain.transform(test), Tc)
    for (name, p), (_, c) in zip(plain.transformer_list, cached.transformer_list):
        if hasattr(p, "vocabulary_"):
            assert p.vocabulary_ == c.vocabulary_, name
            assert np.array_equal(p.idf_, c.idf_), name
    # the hooks are gone: what gets saved is the plain pipeline
    assert pickle.dumps(plain) == pickle.dumps(cached)


def test_a_fit_never_gets_a_term_of_rows_it_was_not_given():
    texts, _, _ = _corpus()
    train = texts[:100]
    test = ["独一无二的测试词汇ZQXJ", *texts[100:]]
    work = TextWork()
    features = make_pipeline().named_steps["features"]
    with work.serving(features):
        work.slots(test)                       # the cache knows the test rows' terms already ...
        features.fit(train)
    words, chars = features.transformer_list[0][1], features.transformer_list[1][1]
    # ... yet the vocabularies hold exactly the terms of the training rows
    assert set(chars.vocabulary_) == {g for t in train for g in chars.build_analyzer()(t)}
    assert set(words.vocabulary_) == {w for t in train for w in words.build_analyzer()(t)}
    assert "ZQXJ" not in " ".join(chars.vocabulary_) and "ZQXJ".lower() not in " ".join(chars.vocabulary_)


def test_pipeline_fitted_with_the_cache_is_the_same_model():
    texts, labels, families = _corpus()
    plain = _fit(texts, labels, families, seed=5, n_jobs=1)
    work = TextWork()
    _fit(texts[::2], labels[::2], families[::2], seed=5, n_jobs=1, work=work)   # an earlier fold's fit
    cached = _fit(texts, labels, families, seed=5, n_jobs=1, work=work)
    assert pickle.dumps(plain) == pickle.dumps(cached)
    probe = texts[:20] + ["新的一句话", "加我薇信"]
    assert np.array_equal(plain.predict_proba(probe), _proba(cached, probe, work))


def test_out_of_fold_probabilities_are_the_same_with_and_without_the_cache():
    texts, labels, families = _corpus()
    on = grouped_proba(texts, labels, families, seed=5, n_splits=3, work=TextWork())
    off = grouped_proba(texts, labels, families, seed=5, n_splits=3, work=TextWork(enabled=False))
    assert np.array_equal(on, off)


def test_texts_that_normalise_alike_are_analysed_once():
    features = make_pipeline().named_steps["features"]
    work = TextWork()
    with work.serving(features):
        features.fit(["加我微信", "加我 微-信", "加我薇信", "好的"])
    analysed = [k for k in work.kinds.values() if hasattr(k, "entry")]
    assert len(analysed) == 2                  # the words and the chars
    for terms in analysed:
        assert len(terms.entry) == 2           # 加我微信 (three spellings) and 好的
    assert len(work.texts) == 4                # the rules and the shape still read every original text


@pytest.mark.parametrize("docs", [np.array(["加我微信", "好的"]), ("加我微信", "好的")])
def test_inputs_other_than_lists_of_str_give_the_plain_result(docs):
    plain = make_pipeline().named_steps["features"].fit(["加我微信", "好的", "返现"])
    cached = pickle.loads(pickle.dumps(plain))
    with TextWork().serving(cached):
        _same_csr(plain.transform(docs), cached.transform(docs))
