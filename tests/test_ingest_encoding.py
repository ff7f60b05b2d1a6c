"""Encodings: BOMs, BOM-less UTF-16, UTF-8, GB18030; strict decoding, never garbled; binaries rejected."""

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.errors import InputError
from monitor.ingest.encoding import decode_bytes

CHAT = "tb_a 2024-01-15 09:00:00\n在吗？有货吗😀\n甲店:小美 2024-01-15 09:01:00\n在的，亲\n"


@pytest.mark.parametrize("data,name", [
    (CHAT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + CHAT.encode("utf-8"), "utf-8-sig"),
    (CHAT.encode("utf-16"), "utf-16"),                      # with BOM
    (CHAT.encode("utf-16-le"), "utf-16-le"),                # no BOM: found by the NUL pattern
    (CHAT.encode("utf-16-be"), "utf-16-be"),
    (CHAT.encode("gb18030"), "gb18030"),                    # the emoji needs GB18030's four-byte form
])
def test_decodes_exactly(data, name):
    assert decode_bytes(data, "f.txt") == (CHAT, name)


def test_chinese_only_utf16_without_bom():
    text = "在吗\n有货吗\n"            # the newlines alone give the NUL pattern away
    assert decode_bytes(text.encode("utf-16-le"), "f") == (text, "utf-16-le")


def test_gbk_file_cut_inside_its_last_character_keeps_the_whole_ones():
    data = "在吗\n在的亲".encode("gbk")[:-1]
    assert decode_bytes(data, "f") == ("在吗\n在的", "gb18030")


def test_utf16_file_cut_by_one_byte():
    data = "在吗\n好的\n谢谢".encode("utf-16-le")[:-1]
    assert decode_bytes(data, "f") == ("在吗\n好的\n谢", "utf-16-le")


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"  \r\n\t", "empty file"),
    (codecs.BOM_UTF8, "empty file"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "binary file, not a chat export"),
    (b"%PDF-1.7\n", "binary file, not a chat export"),
    (bytes(range(256)) * 4, "binary file, not a chat export"),             # NULs on both sides of pairs
    (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 50, "binary file, not a chat export"),  # control bytes
])
def test_rejected(data, reason):
    with pytest.raises(InputError) as exc:
        decode_bytes(data, "f.txt")
    assert exc.value.reason == reason


def test_undecodable_names_the_line():
    with pytest.raises(InputError) as exc:
        decode_bytes("第一行\n第二行\n".encode("utf-8") + b"\xff\xff\xff\xff\n", "f.txt")
    assert (exc.value.line, exc.value.reason) == (3, "neither UTF-8 nor GBK/GB18030 (undecodable bytes)")


# Text a chat export can hold: any printable characters, newlines and tabs (no other controls), and
# like every Taobao chat some Chinese: encodings cannot be told apart in a few bytes of anything.
ANY_CHARS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Co", "Cn", "Cc"), max_codepoint=0x1FFFF)
                    | st.sampled_from("\n\t"), max_size=200)
CHINESE = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=8, max_size=40)
TEXT = st.tuples(ANY_CHARS, CHINESE, ANY_CHARS).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, enc=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_any_text_round_trips_through_a_supported_encoding(text, enc):
    got, name = decode_bytes(text.encode(enc), "f")
    assert got == text


@pytest.mark.parametrize("text", ["瑾", "说瑾", "0瑾", "眨", "a眨b"])
def test_short_gbk_that_looks_like_utf8_keeps_every_character(text):
    # 瑾 is E8 AA in GBK: the start of a three-byte UTF-8 character cut short; 眨 is D5 A3: UTF-8 for գ
    assert decode_bytes(text.encode("gbk"), "f") == (text, "gb18030")


def test_utf8_cut_short_after_many_chinese_characters():
    assert decode_bytes(("亲" * 10).encode("utf-8")[:-2], "f") == ("亲" * 9, "utf-8")


def test_utf8_with_only_two_byte_characters_and_no_chinese_reading_stays_utf8():
    assert decode_bytes("Café ×2 · ok\n".encode("utf-8"), "f") == ("Café ×2 · ok\n", "utf-8")
