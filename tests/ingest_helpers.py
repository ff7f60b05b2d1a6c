"""Write a literal export to a temp file and read it back (ingest tests)."""

from monitor.ingest import read_file


def read_text(tmp_path, content: str, name="export.txt", encoding="utf-8", **kw):
    p = tmp_path / name
    p.write_bytes(content.encode(encoding))
    return read_file(p, **kw)


def rows(df, *cols):
    cols = cols or ("sender", "role", "ts", "text")
    out = []
    for rec in df[list(cols)].itertuples(index=False):
        out.append(tuple(v.strftime("%Y-%m-%d %H:%M:%S") if hasattr(v, "strftime") else v for v in rec))
    return out
