"""Report folder names cannot collide or escape, survive long names, and the overview's links reach them."""

import re
from urllib.parse import unquote

from hypothesis import given, settings, strategies as st

from monitor.report import render_index, render_shop, shop_dir_name, shop_folder
from report_fixtures import shop_night

LOOKALIKES = ["a/b", "a:b", "a_b", "a\\b", ".", "..", "_", "", " ", "云朵家居旗舰店.", "云朵家居旗舰店",
              "云朵家居旗舰店 ", "CON", "a#b", "%2e%2e", "50%off?", "a\x00b"]


def test_lookalike_names_get_distinct_folders_inside_the_night(tmp_path):
    names = [shop_dir_name(s) for s in LOOKALIKES]
    assert len(set(names)) == len(LOOKALIKES)
    night = tmp_path / "2026-11-22"
    for shop, name in zip(LOOKALIKES, names):
        folder = shop_folder(tmp_path, "2026-11-22", shop)
        folder.mkdir(parents=True)
        # no name climbs out of the night's folder or names the folder itself
        assert folder.resolve().parent == night.resolve(), shop
        assert name not in (".", "..") and "/" not in name and "\\" not in name


def test_the_readable_part_is_the_sanitised_name_and_the_hash_is_of_the_exact_name():
    assert shop_dir_name("a/b") == "a_b_" + __import__("hashlib").sha256(b"a/b").hexdigest()[:8]
    assert shop_dir_name("云朵家居旗舰店.").startswith("云朵家居旗舰店_")
    assert shop_dir_name("..") == "_" + __import__("hashlib").sha256(b"..").hexdigest()[:8]


def test_a_name_of_100_four_byte_characters_is_cut_by_bytes(tmp_path):
    shop = "𠀀" * 100                      # 400 bytes in UTF-8: over every file system's 255
    name = shop_dir_name(shop)
    assert name == "𠀀" * 20 + "_" + name[-8:]
    assert len(name.encode("utf-8")) == 89
    shop_folder(tmp_path, "2026-11-22", shop).mkdir(parents=True)     # no "File name too long"
    # two long names that differ only after the cut still get two folders
    assert shop_dir_name("𠀀" * 100) != shop_dir_name("𠀀" * 99 + "x")


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_any_name_gives_a_safe_short_folder_name(shop):
    name = shop_dir_name(shop)
    assert name and name not in (".", "..")
    assert not re.search(r'[\\/:*?"<>|\x00-\x1f\x7f]', name)
    assert len(name.encode("utf-8")) <= 89
    assert not name.startswith((".", " ")) and not name.endswith((".", " "))


def test_overview_links_are_encoded_and_reach_each_shop_page(tmp_path):
    shops = ["a#b", "%2e%2e", "..", "50%off?", "云朵家居旗舰店.", "云朵家居旗舰店"]
    sns = []
    for i, shop in enumerate(shops):
        sn = shop_night()
        sn.shop = shop
        sn.summary = {**sn.summary, "exposure_expected_yuan": 10.0 * i}
        render_shop(sn, tmp_path)
        sns.append(sn)
    html = render_index(sns, tmp_path).read_text(encoding="utf-8")
    hrefs = re.findall(r'<td><a href="([^"]+)">', html)
    assert len(hrefs) == len(shops)
    for h in hrefs:
        assert "#" not in h and "?" not in h and not h.startswith(".")
        assert h.endswith("/report.html") and h.count("/") == 1
        # a browser decodes the link to the shop's folder, which holds the page
        assert (tmp_path / "2026-11-22" / unquote(h)).is_file()
    assert f'href="%252e%252e_{shop_dir_name("%2e%2e")[-8:]}/report.html"' in html
