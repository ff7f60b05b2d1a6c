"""`chatmon` ends without the interpreter's teardown (cli._exit_without_teardown): the same exit
status, every byte of output, and the exit handlers still run. Each case runs the console entry point
(monitor.cli.main) in a fresh interpreter, as the installed `chatmon` does."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(tmp_path, argv: list[str], before: str = "", timeout: float = 300) -> subprocess.CompletedProcess:
    marker = tmp_path / "exit_handler_ran"
    script = textwrap.dedent(f"""
        import atexit, sys
        atexit.register(lambda: open({str(marker)!r}, "w").write("ran"))
        {before}
        sys.argv = ["chatmon", *{argv!r}]
        from monitor.cli import main
        main()
        print("not reached", file=sys.stderr)
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout)


def test_success_keeps_every_line_of_output_and_runs_the_exit_handlers(tmp_path):
    texts = tmp_path / "texts.txt"
    texts.write_text("".join(f"好的亲，第{i}单马上为您发货\n" for i in range(3000)), encoding="utf-8")
    done = _run(tmp_path, ["classify", "--input", str(texts), "--format", "csv"])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3001                      # the header and every text, nothing lost at the end
    assert lines[-1].startswith("好的亲，第2999单马上为您发货,")
    assert (tmp_path / "exit_handler_ran").read_text() == "ran"
    assert "not reached" not in done.stderr


def test_a_usage_error_keeps_status_2_and_its_message(tmp_path):
    done = _run(tmp_path, ["scan", str(tmp_path / "missing")])
    assert done.returncode == 2
    assert "does not exist" in done.stderr
    assert (tmp_path / "exit_handler_ran").read_text() == "ran"


def test_a_text_exit_code_is_printed_and_gives_status_1(tmp_path):
    done = _run(tmp_path, [], before="from monitor import cli as c; c.cli = lambda **kw: sys.exit('读取失败')")
    assert done.returncode == 1
    assert done.stderr.strip() == "读取失败"


def test_a_thread_still_running_is_waited_for_as_at_a_normal_exit(tmp_path):
    mark = tmp_path / "thread_done"
    start = (f"import threading, time; threading.Thread(target=lambda: (time.sleep(0.5), "
             f"open({str(mark)!r}, 'w').write('whole'))).start()")
    done = _run(tmp_path, ["--version"], before=start)
    assert done.returncode == 0, done.stderr
    assert "version" in done.stdout
    assert mark.read_text() == "whole"


def test_an_executor_left_running_does_not_hold_the_exit(tmp_path):
    # (chatmon train leaves joblib's executor running; waiting for its threads without first running
    # threading's exit hooks, which stop them, hung the process)
    start = ("from concurrent.futures import ThreadPoolExecutor; _pool = ThreadPoolExecutor(2); "
             "_pool.submit(sum, [1, 2]).result()")
    done = _run(tmp_path, ["--version"], before=start, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "exit_handler_ran").read_text() == "ran"
