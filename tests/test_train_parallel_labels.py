"""Labels fitted in worker processes give the very model a single process gives; how many workers."""

import numpy as np

from monitor.detect.features import make_features
from monitor.detect.ovr import GroupCalibratedOVR
from monitor.detect.train import train_workers

TEXTS = ["加我微信聊", "加我vx发你", "有事加我扣扣", "私聊我的微信号", "加我威信领券", "留个电话我打给你",
         "好评返现五元", "晒图返现哦", "扫码领红包", "五星好评送礼品", "包裹卡扫码返现", "好评截图返红包",
         "好的亲", "马上为您发货", "您好在的", "亲亲稍等", "已为您备注", "感谢支持", "支持微信支付吗",
         "只支持支付宝哦", "快递单号已发您", "有问题随时联系客服"]
# columns: diversion, qr_lure
Y = np.array([[1, 0]] * 6 + [[0, 1]] * 6 + [[0, 0]] * 10)
FAMILIES = [f"f{i}" for i in range(len(TEXTS))]


def test_two_worker_processes_fit_the_same_model_as_one():
    X = make_features().fit_transform(TEXTS)
    probe = make_features().fit(TEXTS).transform(["加我微信", "好评返现", "好的"])
    one = GroupCalibratedOVR(C=2.0, n_jobs=1).fit(X, Y, groups=FAMILIES)
    two = GroupCalibratedOVR(C=2.0, n_jobs=2).fit(X, Y, groups=FAMILIES)
    assert np.array_equal(one.predict_proba(X), two.predict_proba(X))
    assert np.array_equal(one.predict_proba(probe), two.predict_proba(probe))
    assert np.array_equal(one.label_weights(X.shape[1]), two.label_weights(X.shape[1]))


def test_train_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv("CHATMON_WORKERS", "3")
    assert train_workers() == 3
    monkeypatch.setenv("CHATMON_WORKERS", "16")
    assert train_workers() == 5        # one per label at most (diversion … promise)
    monkeypatch.setenv("CHATMON_WORKERS", "0")
    assert train_workers() == 1
    monkeypatch.setenv("CHATMON_WORKERS", "many")
    assert train_workers() == 1


def test_train_workers_default_is_the_cpu_count_up_to_four(monkeypatch):
    monkeypatch.delenv("CHATMON_WORKERS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert train_workers() == 2
    monkeypatch.setattr("os.cpu_count", lambda: 32)
    assert train_workers() == 5        # one per label
