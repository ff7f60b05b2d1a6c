"""A model's default operating point: load_model(None) uses the card's `default_point`, named points
still win, and a point the card does not list is an error naming the ones it has."""

import json

import pytest

from monitor.detect import load_model
from monitor.detect.train import train_model
from monitor.errors import ChatmonError

ROWS = {"diversion": ["加我微信聊", "加我vx发你", "有事加我扣扣", "私聊我的微信号", "加我威信领券", "留个电话我打给你"],
        "qr_lure": ["好评返现五元", "晒图返现哦", "扫码领红包", "五星好评送礼品", "包裹卡扫码返现", "好评截图返红包"],
        "negative": ["爱买不买", "自己看详情页", "烦不烦啊", "说了多少遍了", "不会自己看吗", "没空理你"],
        "harassment": ["求求你改差评吧", "不改差评我天天找你", "删差评给你十块", "你不改我就一直打电话", "改个好评吧求你了",
                       "半夜也要找你改差评"],
        "promise": ["今天下午给您发出", "明天上午给您补发", "24小时内给您退款", "今晚之前给您发走", "周一前给您寄出",
                    "三天内给您回复"],
        "ok": ["好的亲", "马上为您发货", "您好在的", "亲亲稍等", "已为您备注", "感谢支持", "支持微信支付吗",
               "只支持支付宝哦", "快递单号已发您", "有问题随时联系客服"]}
LIVE = {"diversion": 0.9, "qr_lure": 0.95, "negative": 0.85, "harassment": 0.8, "promise": 0.7}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("point")
    (d / "l.csv").write_text("text,labels\n" + "".join(f"{t},{lab}\n" for lab, ts in ROWS.items() for t in ts),
                             encoding="utf-8")
    train_model([str(d / "l.csv")], d / "m", seed=1, echo=lambda m: None, cv=False)
    return d / "m"


def _set_card(model_dir, **changes):
    card = json.loads((model_dir / "card.json").read_text(encoding="utf-8"))
    card.update(changes)
    card["operating_points"] = {**card["operating_points"], "live": LIVE}
    (model_dir / "card.json").write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
    return card


def test_without_a_default_point_the_model_is_balanced(model_dir):
    card = _set_card(model_dir)
    card.pop("default_point", None)
    (model_dir / "card.json").write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
    assert load_model(model_dir).thresholds == card["operating_points"]["balanced"]


def test_the_default_point_is_used_and_named_points_still_win(model_dir):
    card = _set_card(model_dir, default_point="live")
    assert load_model(model_dir).thresholds == LIVE
    assert load_model(model_dir, "balanced").thresholds == card["operating_points"]["balanced"]
    assert load_model(model_dir, "quiet").thresholds == card["operating_points"]["quiet"]


def test_an_unknown_default_point_names_the_ones_listed(model_dir):
    _set_card(model_dir, default_point="nightly")
    with pytest.raises(ChatmonError, match="no 'nightly' operating point .*balanced, quiet, live"):
        load_model(model_dir)
