"""No internal words on the page: the source is the export's file name, the agent's name is whole."""

import pandas as pd

from monitor.report import render_shop
from report_fixtures import shop_night


def test_source_is_the_export_file_name(tmp_path):
    sn = shop_night()
    sn.messages["source"] = sn.messages["source"].map(lambda s: "out/demo/exports/2026-11-22/" + s)
    html, _, csv = render_shop(sn, tmp_path)
    page = html.read_text(encoding="utf-8")
    assert "来源 chat.txt:3" in page and "out/demo/exports" not in page
    assert pd.read_csv(csv, encoding="utf-8-sig", dtype=str)["来源"].tolist() == ["chat.txt:3", "chat.txt:6"]


def test_agent_name_is_whole_on_the_highlighted_line(tmp_path):
    html = render_shop(shop_night(), tmp_path)[0].read_text(encoding="utf-8")
    assert '<span class="who">客服 小美</span>' in html
    assert "text-overflow:ellipsis" not in html.split(".ev .msg .who", 1)[1].split("}", 1)[0]
