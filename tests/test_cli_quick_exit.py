"""`chatmon classify` ends its process without the interpreter's teardown (monitor/cli.py main()), its
output flushed first; other commands, failures and in-process calls of cli() end as before."""

import subprocess
import sys

CHILD = r"""
import atexit, sys
atexit.register(lambda: sys.stderr.write("teardown ran\n"))
from monitor.cli import main
sys.argv = ["chatmon", *sys.argv[1:]]
main()
"""


def _run(*args):
    return subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True)


def test_classify_to_stdout_is_flushed_and_skips_teardown():
    texts = [f"第{i}条：好的亲，马上为您发货" for i in range(3_000)]
    run = _run("classify", "--format", "jsonl", *texts)
    assert run.returncode == 0
    lines = run.stdout.splitlines()
    assert len(lines) == 3_000 and lines[-1].startswith('{"text": "第2999条')
    assert "teardown ran" not in run.stderr


def test_a_failing_classify_exits_as_before():
    run = _run("classify", "--format", "xml", "好的")
    assert run.returncode == 2
    assert "teardown ran" in run.stderr


def test_other_commands_exit_as_before():
    run = _run("--version")
    assert run.returncode == 0 and "teardown ran" in run.stderr


def test_calling_cli_in_process_returns(tmp_path):
    from click.testing import CliRunner

    from monitor.cli import cli

    got = CliRunner().invoke(cli, ["classify", "好的"])
    assert got.exit_code == 0 and got.output.startswith('{"text": "好的"')
