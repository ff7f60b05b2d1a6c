"""Ground-truth waits follow DESIGN.md's definition, checked by a plain walk over each conversation."""

from datetime import datetime

from monitor.samples import SampleSpec, generate

TINY = SampleSpec(shops=1, conversations_per_shop_day=12, unanswered_rate=0.25, seed=21)


def reference_waits(msgs):
    """A wait opens at the first unanswered buyer message and closes at the next agent message;
    auto/system messages never close it; a gap over 30 min ends the session (open wait = unanswered)."""
    out, start, prev = [], None, None
    for role, ts in msgs:
        if prev is not None and (ts - prev).total_seconds() > 1800 and start is not None:
            out.append((start, None))
            start = None
        if role == "buyer" and start is None:
            start = ts
        elif role == "agent" and start is not None:
            out.append((start, (ts - start).total_seconds()))
            start = None
        prev = ts
    if start is not None:
        out.append((start, None))
    return out


def test_truth_waits_match_the_definition():
    s = generate(TINY)
    assert len(s.messages["conversation_id"].unique()) == 12
    for conv, g in s.messages.groupby("conversation_id", sort=False):
        g = g.sort_values("ts", kind="stable")
        want = reference_waits(list(zip(g["role"], g["ts"].dt.to_pydatetime())))
        t = s.waits[s.waits["conversation_id"] == conv]
        got = [(st.to_pydatetime() if hasattr(st, "to_pydatetime") else st,
                None if not a else float(w)) for st, w, a in zip(t["start"], t["wait_s"], t["answered"])]
        assert got == want, conv


def test_tiny_spec_has_unanswered_and_auto_inside_waits():
    s = generate(TINY)
    assert (~s.waits["answered"]).sum() >= 1
    assert s.waits["answered"].sum() >= 5
    # the robot replied at least once, and its reply did not end a wait: every answered wait ends on an agent row
    assert (s.messages["role"] == "auto").any()
    ends = s.waits.loc[s.waits["answered"], ["conversation_id", "end"]]
    rows = s.messages.merge(ends, left_on=["conversation_id", "ts"], right_on=["conversation_id", "end"])
    assert set(rows["role"]) == {"agent"}


def test_reference_walk_on_a_literal_conversation():
    t = lambda s: datetime(2026, 11, 22, 21, 0, 0) + __import__("datetime").timedelta(seconds=s)  # noqa: E731
    msgs = [("buyer", t(0)), ("auto", t(2)), ("buyer", t(40)), ("agent", t(100)),
            ("buyer", t(200)), ("system", t(210)), ("agent", t(500)), ("buyer", t(4000))]
    assert reference_waits(msgs) == [(t(0), 100.0), (t(200), 300.0), (t(4000), None)]
