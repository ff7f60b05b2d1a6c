"""model.joblib format: a zlib-compressed plain pickle that pickle and joblib both read; older
joblib.dump files still load."""

import pickle
import zlib

import joblib
import numpy as np
import pytest

from monitor.detect.model_file import read_model_file, write_model_file

BLOB = {"labels": ("diversion", "qr_lure"), "weights": np.array([0.5, -1.25, 3.0]), "vocabulary": {"加我": np.int64(7)}}


def _same(a, b):
    assert a["labels"] == b["labels"] and a["vocabulary"] == b["vocabulary"]
    assert a["weights"].tolist() == b["weights"].tolist()


def test_written_file_is_zlib_of_a_plain_pickle(tmp_path):
    f = tmp_path / "model.joblib"
    write_model_file(f, BLOB)
    _same(pickle.loads(zlib.decompress(f.read_bytes())), BLOB)


def test_written_file_reads_back_and_joblib_reads_it_too(tmp_path):
    f = tmp_path / "model.joblib"
    write_model_file(f, BLOB)
    _same(read_model_file(f), BLOB)
    _same(joblib.load(f), BLOB)


@pytest.mark.parametrize("compress", [0, 3, True])
def test_files_written_by_joblib_dump_still_read(tmp_path, compress):
    f = tmp_path / "model.joblib"
    joblib.dump(BLOB, f, compress=compress)
    _same(read_model_file(f), BLOB)


def test_a_cut_file_raises(tmp_path):
    f = tmp_path / "model.joblib"
    write_model_file(f, BLOB)
    f.write_bytes(f.read_bytes()[:40])
    with pytest.raises(Exception):
        read_model_file(f)
