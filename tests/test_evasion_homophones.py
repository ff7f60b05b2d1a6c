import pytest

from evidence import labels, triples


@pytest.mark.parametrize("text, expected", [
    ("加我薇信发你实拍", [("diversion", "加我薇信发你", "lexicon:diversion")]),
    ("加我威信吧", [("diversion", "加我威信", "lexicon:diversion")]),
    ("加个卫信聊", [("diversion", "加个卫信聊", "lexicon:diversion")]),
    ("绿泡泡联系我", [("diversion", "绿泡泡联系", "lexicon:diversion")]),
    ("加V详聊", [("diversion", "加V详聊", "lexicon:diversion")]),
    ("扣扣 12345678 找我", [("diversion", "12345678", "qq_number")]),
])
def test_homophones_of_contact_words(text, expected):
    assert triples(text) == expected


@pytest.mark.parametrize("text", ["维修师傅明天上门", "卫生纸两提", "威力很大的吸尘器", "微微偏大一码", "信封装的"])
def test_ordinary_words_with_the_same_characters(text):
    assert labels(text) == set()
