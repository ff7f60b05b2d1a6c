"""contact_spans_many (a report's context lines at once) gives each text's contact_spans, on hand-written
cases, the labelled corpus, the real eval text and arbitrary strings."""

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.report.mask import contact_spans, contact_spans_many
from real_texts import corpus_texts, eval_texts, needs_eval

CASES = [
    ("加我薇信 abc12345 发你优惠", [(5, 13)]),
    ("联系电话 138-0013-8000 哦", [(5, 18)]),
    ("亲，QQ 123456789 找我", [(5, 14)]),
    ("好的亲，马上为您发货", []),
    ("订单号 123456789012345678 已发货", []),
    ("", []),
]


def test_each_case_gets_its_spans():
    assert contact_spans_many([t for t, _ in CASES]) == [want for _, want in CASES]


def test_none_and_empty_have_no_spans():
    assert contact_spans_many([None, "", "  "]) == [[], [], []]


def test_the_labelled_corpus_agrees_with_one_text_at_a_time():
    texts = corpus_texts()
    got = contact_spans_many(texts)
    assert sum(map(bool, got)) > 100            # the corpus holds many contacts: the test sees some
    assert got == [contact_spans(t) for t in texts]


@needs_eval
def test_the_real_eval_text_agrees_with_one_text_at_a_time():
    texts = eval_texts()
    assert contact_spans_many(texts) == [contact_spans(t) for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="加微信VvXx:：qQ一三八0123456789_- abc，。", max_size=30), max_size=8))
def test_arbitrary_batches_agree_with_one_text_at_a_time(texts):
    assert contact_spans_many(texts) == [contact_spans(t) for t in texts]
