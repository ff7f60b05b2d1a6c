"""Reading labelled files for train/evaluate: labels, families, and errors naming file, row, column."""

import pandas as pd
import pytest

from monitor.detect.labelled import label_matrix, read_labelled
from monitor.errors import InputError


def test_labels_split_and_ok_is_none(tmp_path):
    f = tmp_path / "l.csv"
    f.write_text("text,labels,family\n加我微信,diversion,a\n好的,ok,b\n在的,,b\n返现加微信,qr_lure|diversion,\n",
                 encoding="utf-8")
    df = read_labelled([f])
    assert df["text"].tolist() == ["加我微信", "好的", "在的", "返现加微信"]
    assert df["labels"].tolist() == [["diversion"], [], [], ["diversion", "qr_lure"]]
    assert df["family"].tolist() == ["a", "b", "b", "l.csv#3"]
    assert label_matrix(df["labels"]).tolist() == [[1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 0, 0, 0]]


def test_unknown_label_names_file_row_and_column(tmp_path):
    f = tmp_path / "l.csv"
    f.write_text("text,labels\n你好,ok\n加我微信,spam\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_labelled([f])
    assert str(err.value) == f"{f}:3: column labels: unknown label 'spam' (use diversion, qr_lure, negative, harassment, promise or ok)"


def test_missing_column_names_file(tmp_path):
    f = tmp_path / "l.csv"
    f.write_text("message,labels\n你好,ok\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"l\.csv:1: missing column\(s\) text"):
        read_labelled([f])


def test_expected_column_and_xlsx_and_canonical_export(tmp_path):
    pd.DataFrame({"shop": ["s"], "text": ["爱买不买"], "role": ["agent"], "labels": ["negative"]}).to_excel(
        tmp_path / "c.xlsx", index=False)
    (tmp_path / "e.csv").write_text("text,expected,dataset\n好的,ok,x\n", encoding="utf-8")
    df = read_labelled([tmp_path])
    assert df["text"].tolist() == ["爱买不买", "好的"]
    assert df["labels"].tolist() == [["negative"], []]


def test_empty_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no labelled csv/xlsx files"):
        read_labelled([tmp_path])
