"""`chatmon ingest --explain`: per file, what it was read as and what had to be assumed (explain.py)."""

import json
from pathlib import Path

from click.testing import CliRunner

from monitor.cli import cli
from monitor.ingest.explain import explain_paths, format_line, format_text

FIX = Path(__file__).parent / "fixtures" / "ingest"
WORKBOOK = FIX / "qianniu_exporter_v55.xlsx"


def test_summary_of_a_time_only_workbook():
    [s] = explain_paths([WORKBOOK], date="2024-01-15")
    assert s == {
        "file": str(WORKBOOK), "status": "ok", "layout": "table_xlsx",
        "layout_detail": "Qianniu page exporter workbook (导出汇总 + one sheet per customer)",
        "encoding": "xlsx", "messages": 8, "by_role": {"buyer": 3, "agent": 4, "auto": 0, "system": 1},
        "shops": ["云朵家居旗舰店"], "buyers": 2, "buyer_examples": ["tb****7", "夜****"],
        "agents": 2, "agent_names": ["云朵家居旗舰店:小美", "云朵家居旗舰店:阿强"],
        "first": "2024-01-15 10:02:11", "last": "2024-01-16 00:01:30",
        "assumptions": [
            "聊天日期 2024-01-15 来自 --date（文件里只有时分秒）",
            "时间往回跳过午夜 1 次，之后的消息记为次日",
            "2 行的发送账号为空、是“没有更多内容了”或是平台通知：按千牛网页的消息块重新认定发送人（单独一行 = 该发送人的图片消息）",
            "导出汇总：1 位客户导出失败（tb_gone01：未找到聊天内容区域），他们的聊天不在此文件里",
            "导出汇总的导出时间 2024-01-16 09:12:11 是导出器运行的时间，未当作聊天日期",
        ],
        "rejected_members": [],
    }


def test_text_and_one_line_forms():
    [s] = explain_paths([FIX / "desktop_copy_crlf.txt"])
    assert format_text(s) == (
        f"文件 {FIX / 'desktop_copy_crlf.txt'}\n"
        "  读作 (layout): desktop_copy\n"
        "  编码 (encoding): utf-8\n"
        "  消息 (messages): 9 条（买家 1，客服 2，系统 6）\n"
        "  店铺 (shops): 云朵家居旗舰店\n"
        "  买家 (buyers): tb****9\n"
        "  客服 (agents): 云朵家居旗舰店:阿强、云朵家居旗舰店:小美\n"
        "  时间 (first–last): 2024-01-15 14:30:25 至 2024-01-15 14:32:00\n"
        "  假设 (assumed):\n"
        "    - 1 条消息在 `A --> B 时间` 行下：读作 A 发给 B 的消息")
    assert format_line(s) == (
        "✓ desktop_copy_crlf.txt: desktop_copy, utf-8, 9 条（买家 1，客服 2，系统 6）, 店铺 云朵家居旗舰店, "
        "买家 1 位, 客服 2 位, 2024-01-15 14:30:25 至 2024-01-15 14:32:00; 假设: 1 条消息在 `A --> B 时间` 行下：读作 A 发给 B 的消息")


def test_a_rejected_file_is_explained_too():
    [s] = explain_paths([WORKBOOK])
    assert (s["status"], s["line"]) == ("rejected", "tb_lucky77!2")
    assert format_line(s).startswith("✗ qianniu_exporter_v55.xlsx: 未读取 (rejected) tb_lucky77!2: time '10:02:11' has only")


def test_cli_explain_text_and_jsonl(tmp_path):
    run = CliRunner().invoke
    r = run(cli, ["ingest", str(FIX / "qianniu_web_notices.txt"), "--explain"], catch_exceptions=False)
    assert r.exit_code == 0
    assert "  消息 (messages): 7 条（买家 1，客服 2，系统 4）\n" in r.output
    assert "    - 删除了 2 个控制字符（如 \\x03，网页导出常带）\n" in r.output
    out = tmp_path / "explain.jsonl"
    r = run(cli, ["ingest", str(WORKBOOK), str(FIX / "qianniu_web_notices.txt"), "--explain", "--format", "jsonl",
                  "-o", str(out)], catch_exceptions=False)
    assert r.exit_code == 3          # the workbook has no date: rejected, the page text explained
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(x["status"], x.get("layout")) for x in recs] == [("rejected", None), ("ok", "qianniu_web")]


def test_cli_date_option_reaches_the_reader(tmp_path):
    r = CliRunner().invoke(cli, ["ingest", str(WORKBOOK), "--date", "2024-01-15", "--format", "jsonl"],
                           catch_exceptions=False)
    assert r.exit_code == 0
    assert [json.loads(x)["ts"] for x in r.output.splitlines()][-1] == "2024-01-16 00:01:30"
    r = CliRunner().invoke(cli, ["ingest", str(WORKBOOK), "--date", "2024-1-32"], catch_exceptions=False)
    assert r.exit_code == 2 and "--date '2024-1-32' is not a date of the form YYYY-MM-DD" in r.output


def test_a_zip_names_its_members_and_the_ones_it_could_not_read(tmp_path):
    import zipfile
    p = tmp_path / "night.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.write(FIX / "qianniu_exporter_v55.xlsx", "v55.xlsx")
        z.writestr("copy.txt", "tb_a 2024-01-15 10:00:00\n在吗\n")
    [s] = explain_paths([p])         # no --date: the workbook member is rejected, the copy is read
    assert (s["status"], s["layout"], s["messages"]) == ("ok", "zip[desktop_copy]", 1)
    assert s["rejected_members"] == [f"{p}!v55.xlsx:tb_lucky77!2: time '10:02:11' has only the time of day and "
                                     "the file names no date: give the chats' date with --date YYYY-MM-DD "
                                     "(chatmon scan: --date or --night) (请用 --date YYYY-MM-DD 指定聊天日期) "
                                     "(导出汇总's 导出时间 2024-01-16 09:12:11 is when the exporter ran, not the "
                                     "chats' date: the page lists up to three months of chats)"]
    assert format_line(s).endswith("; 未读取的成员 1 个")
    [s] = explain_paths([p], date="2024-01-15")
    assert (s["layout"], s["messages"], s["rejected_members"]) == ("zip[desktop_copy,table_xlsx]", 9, [])
    assert "v55.xlsx: 聊天日期 2024-01-15 来自 --date（文件里只有时分秒）" in s["assumptions"]
