"""report.mask.contact_spans caches the contact rules per text: the spans are those of the rules run
afresh, and a caller that changes the list it got does not change what the next caller gets."""

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.report.mask import _contact_spans, contact_spans


def _fresh(text: str) -> list:
    return list(_contact_spans.__wrapped__(text))


def test_spans_of_a_wechat_id_and_a_phone_are_the_rules_own():
    text = "加我微信abc12345，或打13800138000"
    assert contact_spans(text) == _fresh(text)
    assert text[contact_spans(text)[-1][0]:contact_spans(text)[-1][1]] == "13800138000"


def test_changing_the_returned_list_does_not_change_the_cache():
    text = "电话 13900139000 找我"
    got = contact_spans(text)
    got.append((0, 1))
    assert contact_spans(text) == _fresh(text)


def test_no_text_no_spans():
    assert contact_spans(None) == [] and contact_spans("") == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="加微信vxVX号qQ扣电话一三八0123456789 -_，。好的亲abc", max_size=30))
def test_cached_spans_equal_fresh_spans_every_time(text):
    first = contact_spans(text)
    assert first == _fresh(text)
    assert contact_spans(text) == first
