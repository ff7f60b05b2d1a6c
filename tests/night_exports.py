"""Hand-written nightly exports (Qianniu desktop copies) for the nights-and-failures tests."""

from pathlib import Path

from fake_classifier import FixedClassifier

CLF = FixedClassifier({"加我微信": ("diversion", 0.9)})


def chat(shop: str, day: str, slow_minutes: int = 4, wechat: str = "abc_12345") -> str:
    """One shop's night: a reply after `slow_minutes` (slow past 3), a diversion, an unanswered buyer."""
    return (f"店铺：{shop}\n聊天对象：tb_slow\ntb_slow {day} 10:00:00\n在吗\n"
            f"{shop}:小美 {day} 10:{slow_minutes:02d}:00\n在的\n"
            f"聊天对象：tb_div\ntb_div {day} 11:00:00\n能便宜点吗\n"
            f"{shop}:阿强 {day} 11:00:30\n加我微信 {wechat} 给你便宜\n"
            f"聊天对象：tb_gone\ntb_gone {day} 12:00:00\n有人吗\n")


def write_night(root: Path, day: str, shops, dated: bool = True, **kw) -> Path:
    folder = Path(root) / day if dated else Path(root)
    folder.mkdir(parents=True, exist_ok=True)
    for shop in shops:
        (folder / f"{shop.replace('/', '_')}-{day}.txt").write_text(chat(shop, day, **kw), encoding="utf-8")
    return folder
