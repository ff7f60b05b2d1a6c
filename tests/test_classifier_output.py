"""classify_command's csv and jsonl bytes: each distinct result formatted once, rows mapped in order,
the csv exactly what pandas' DataFrame.to_csv writes."""

import json

import numpy as np
import pandas as pd

from monitor.detect.classify import _csv, _jsonl
from monitor.detect.types import LABELS, Classification, Evidence

DIV = Classification("加我vx, \"abc123\"", ["diversion"], {"diversion": 0.98765, "qr_lure": 1e-05, "negative": 0.0,
                                                         "harassment": 0.12344999, "promise": 0.0},
                     [Evidence("diversion", 0, 4, "加我vx", "lexicon:diversion")])
OK = Classification("好的亲\n马上发", [], {lab: 0.25 for lab in LABELS}, [])
ROWS = [DIV, OK, DIV, DIV, OK]


def test_csv_is_what_pandas_writes():
    expected = pd.DataFrame({
        "text": [r.text for r in ROWS],
        "labels": ["|".join(r.labels) for r in ROWS],
        **{f"p_{lab}": [round(r.scores[lab], 4) for r in ROWS] for lab in LABELS},
        "evidence": [json.dumps([e.to_dict() for e in r.evidence], ensure_ascii=False) for r in ROWS],
        "reason": [r.reason() for r in ROWS],
    }).to_csv(index=False)
    assert _csv(ROWS) == expected


def test_csv_lines_literal():
    assert _csv([OK, DIV]).splitlines(keepends=True) == [
        "text,labels,p_diversion,p_qr_lure,p_negative,p_harassment,p_promise,evidence,reason\n",
        "\"好的亲\n", "马上发\",,0.25,0.25,0.25,0.25,0.25,[],\n",
        "\"加我vx, \"\"abc123\"\"\",diversion,0.9877,0.0,0.0,0.1234,0.0,"
        "\"[{\"\"label\"\": \"\"diversion\"\", \"\"start\"\": 0, \"\"end\"\": 4, \"\"match\"\": \"\"加我vx\"\", "
        "\"\"rule\"\": \"\"lexicon:diversion\"\"}]\",规则: 引流用语「加我vx」\n",
    ]


def test_jsonl_one_line_per_row_in_order():
    lines = _jsonl(ROWS).splitlines()
    assert [json.loads(x)["text"] for x in lines] == [r.text for r in ROWS]
    assert lines[0] == ('{"text": "加我vx, \\"abc123\\"", "labels": ["diversion"], "scores": {"diversion": 0.9877, '
                        '"qr_lure": 0.0, "negative": 0.0, "harassment": 0.1234, "promise": 0.0}, "evidence": [{"label": "diversion", '
                        '"start": 0, "end": 4, "match": "加我vx", "rule": "lexicon:diversion"}], '
                        '"reason": "规则: 引流用语「加我vx」"}')
    assert lines[2] == lines[0] and lines[4] == lines[1]


def test_score_strings_are_numpys_text_of_each_value():
    from monitor.detect.classify import _score_strings

    rounded = np.array([[0.0, -0.0, 1e-05, 0.1234, 1.0], [0.1234, 0.0, float("nan"), 0.5, -0.0]])
    assert _score_strings(rounded) == [["0.0", "-0.0", "1e-05", "0.1234", "1.0"],
                                       ["0.1234", "0.0", "nan", "0.5", "-0.0"]]


def test_csv_of_a_result_without_evidence_has_empty_evidence_and_reason():
    assert _csv([OK]).splitlines()[-1] == "马上发\",,0.25,0.25,0.25,0.25,0.25,[],"
