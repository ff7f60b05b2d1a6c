"""shape_vector looks for digit runs only in texts whose normalised form has 5+ ASCII digits in a row
(where monitor.text.digit_runs finds them): the same row as asking digit_runs of every text."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.detect.features import _LATIN_ID, _LONG_DIGITS, _TRACKING, shape_vector
from monitor.text import digit_runs, normalise_text


def reference(text: str) -> list[float]:
    runs = [d for a, _, d in digit_runs(text) if 5 <= len(d) <= 11 and not (a and text[a - 1].isascii()
                                                                           and (text[a - 1].isalpha()
                                                                                or text[a - 1] == "_"))]
    ids = [m.group(0) for m in _LATIN_ID.finditer(text)
           if re.search(r"[0-9_]", m.group(0)) and not _TRACKING.match(m.group(0))
           and not _LONG_DIGITS.search(m.group(0))]
    n = len(normalise_text(text))
    return [min(len(runs), 2) / 2, min(len(ids), 2) / 2, float(n <= 4), float(5 <= n <= 10),
            float(11 <= n <= 30), float(n > 30)]


# digits in the styles the normaliser reads as digits, separators, letters, words
ALPHABET = "0123456789一二三四五六七八九壹叁捌①③⑧１３８ -_abSFqv微信加我好的亲"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=24))
def test_gate_keeps_the_row(text):
    assert shape_vector(text) == reference(text)


def test_spoken_digits_count_as_a_run():
    assert shape_vector("加我一三八零零一三八零零零")[0] == 0.5
    assert shape_vector("好的亲")[0] == 0.0
