"""Feature extractors: jieba words of the normalised text and the message-shape vector."""

from monitor.detect.features import SHAPE_NAMES, shape_vector, words


def test_words_are_cut_from_the_normalised_text():
    # the spaced 微 信 normalises to 微信 before cutting, so jieba sees one word
    assert "微信" in words("加我微 信")
    assert words("   ") == []


def test_contact_length_digit_runs_in_any_style():
    assert shape_vector("有事扣我，一一二二三三四四五五")[0] == 0.5
    assert shape_vector("我Q：2290118877，记下")[0] == 0.5
    assert shape_vector("一共3件")[0] == 0.0


def test_codes_are_not_contact_numbers_or_handles():
    # digits glued to letters or an underscore, or 8+ digits inside a token: order/tracking/serial numbers
    assert shape_vector("[ORDERID_10003935]")[:2] == [0.0, 0.0]
    assert shape_vector("EMS单号 EA123456789CN")[:2] == [0.0, 0.0]
    assert shape_vector("SF1234567890123 已发货")[:2] == [0.0, 0.0]


def test_handle_like_token_and_length_buckets():
    v = shape_vector("我的V是 xiaomei_shop，通过一下")
    assert dict(zip(SHAPE_NAMES, v)) == {"contact_length_number": 0.0, "id_like_token": 0.5, "len_le_4": 0.0,
                                         "len_5_10": 0.0, "len_11_30": 1.0, "len_gt_30": 0.0}
    assert shape_vector("好的亲")[2:] == [1.0, 0.0, 0.0, 0.0]
