"""Classification throughput: chatmon vs the naive jieba+TF-IDF+LR pipeline vs fastText.

    .venv/bin/python bench/bench_classify.py --sizes 200000 1000000 --repeats 3

Input (--input): `generated`, seller messages (agent and auto-reply texts) from the sample generator,
fixed seed; or `real`, the seller messages of bench/real_night.py's night (real agent replies, about
half of them distinct, as agents type and use quick phrases). Written to a csv; every contender
classifies it end to end from the file (load model, read, classify, write).
Quality: each contender's grouped 5-fold held-out scores on data/labelled (folds by family, the same
folds for all), and its flag rates on ../shared/eval (evaluation only).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "contenders"))

from harness import PY, REPO, WORK, Contender, results_payload, run_alternating, save, table  # noqa: E402

from monitor.detect.labelled import label_matrix, read_labelled  # noqa: E402
from monitor.detect.types import LABELS  # noqa: E402
from monitor.samples import iter_message_chunks, spec_for_messages  # noqa: E402

EVAL = REPO.parent / "shared" / "eval"


def make_input(n: int, seed: int = 7, kind: str = "generated") -> Path:
    if kind == "real":
        from real_night import make_night, seller_texts

        path = WORK / f"real_seller_{n}.csv"
        if not path.exists():
            night = WORK / f"real_{2 * n}"
            if not (night / ".done").exists():
                make_night(2 * n, night)      # half the night's messages are the seller's
                (night / ".done").write_text("ok")
            pd.DataFrame({"text": seller_texts(night, n)}).to_csv(path, index=False)
        return path
    path = WORK / f"seller_{n}.csv"
    if path.exists():
        return path
    texts: list[str] = []
    for chunk in iter_message_chunks(spec_for_messages(int(n * 2.2), seed=seed)):
        texts += chunk.loc[chunk["role"].isin(["agent", "auto"]), "text"].tolist()
        if len(texts) >= n:
            break
    pd.DataFrame({"text": texts[:n]}).to_csv(path, index=False)
    return path


def macro_f1(y, pred) -> dict:
    out = {}
    for k, lab in enumerate(LABELS):
        tp = int(((y[:, k] == 1) & (pred[:, k] == 1)).sum())
        fp = int(((y[:, k] == 0) & (pred[:, k] == 1)).sum())
        fn = int(((y[:, k] == 1) & (pred[:, k] == 0)).sum())
        out[lab] = round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else None
    out["macro_f1"] = round(float(np.mean([v or 0 for v in out.values()])), 4)
    return out


def held_out(name: str, df: pd.DataFrame, seed: int = 13) -> dict:
    """Grouped 5-fold held-out F1 for the naive and fastText contenders (chatmon's is in its card),
    on the same folds as chatmon's card (monitor.detect.folds, same strata, same seed)."""
    import fasttext_clf
    import naive_tfidf

    mod = {"naive": naive_tfidf, "fasttext": fasttext_clf}[name]
    texts = np.asarray(df["text"], dtype=object)
    labels = list(df["labels"])
    y = label_matrix(labels)
    strata = np.where(y.any(axis=1), y.argmax(axis=1), len(LABELS))
    pred = np.zeros_like(y)
    from monitor.detect.folds import grouped_folds
    for tr, te in grouped_folds(strata, df["family"], 5, seed):
        model = mod.fit(list(texts[tr]), [labels[i] for i in tr])
        p = mod.predict(model, list(texts[te]))
        pred[te] = [[lab in row for lab in LABELS] for row in p]
    return macro_f1(y, pred)


def eval_rates(predict_fn) -> dict:
    out = {}
    for name, expected in (("real_cs_agent_replies.csv", "ok"), ("real_contact_spam.csv", "diversion")):
        f = EVAL / name
        if not f.exists():
            continue
        texts = pd.read_csv(f, dtype=str, keep_default_na=False)["text"].tolist()
        preds = predict_fn(texts)
        if expected == "ok":
            out["agent_replies_flagged"] = round(float(np.mean([bool(p) for p in preds])), 4)
        else:
            out["contact_spam_diversion_recall"] = round(float(np.mean(["diversion" in p for p in preds])), 4)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[200_000, 1_000_000],
                    help="message counts to time (none: only the quality section, saved as classify_quality)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--input", choices=["generated", "real"], default="generated",
                    help="generated: the sample generator's seller texts; real: real agent replies "
                         "(bench/real_night.py)")
    ap.add_argument("--chatmon-model", action="append", default=[], metavar="DIR",
                    help="also time `chatmon classify --model DIR` (e.g. the default model re-saved by "
                         "Classifier.save, to see the load time of a freshly trained model); repeatable")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    labelled = str(REPO / "data" / "labelled")
    naive_model, ft_model = WORK / "naive.joblib", WORK / "fasttext.bin"
    contenders_dir = Path(__file__).resolve().parent / "contenders"
    train_times = {}
    for name, script, out in (("naive", "naive_tfidf.py", naive_model), ("fasttext", "fasttext_clf.py", ft_model)):
        t0 = time.perf_counter()
        import subprocess
        subprocess.run([PY, str(contenders_dir / script), "train", labelled, str(out)], check=True)
        train_times[name] = round(time.perf_counter() - t0, 2)
    report = {"train_seconds": train_times, "sizes": {}}
    for n in args.sizes:
        inp = make_input(n, kind=args.input)
        distinct = pd.read_csv(inp, dtype=str, keep_default_na=False)["text"].nunique()
        print(f"== {n:,} messages ({distinct:,} distinct texts, {args.input} input)")
        cs = [
            Contender("chatmon classify", [str(REPO / ".venv/bin/chatmon"), "classify", "--input", str(inp),
                                           "--format", "csv", "-o", str(WORK / "out_chatmon.csv")], n),
            Contender("naive jieba+tfidf+LR", [PY, str(contenders_dir / "naive_tfidf.py"), "classify",
                                               str(naive_model), str(inp), str(WORK / "out_naive.csv")], n),
            Contender("fastText (jieba, bigrams)", [PY, str(contenders_dir / "fasttext_clf.py"), "classify",
                                                    str(ft_model), str(inp), str(WORK / "out_ft.csv")], n),
        ]
        for k, model_dir in enumerate(args.chatmon_model):
            cs.insert(1 + k, Contender(f"chatmon classify --model {Path(model_dir).name}",
                                       [str(REPO / ".venv/bin/chatmon"), "classify", "--model", str(model_dir),
                                        "--input", str(inp), "--format", "csv", "-o",
                                        str(WORK / f"out_chatmon_{k}.csv")], n))
        results = run_alternating(cs, repeats=args.repeats)
        print(table(results, baseline="naive jieba+tfidf+LR"))
        report["sizes"][n] = {"distinct_texts": int(distinct), "input": args.input, **results_payload(results)}
    if not args.skip_quality:
        import fasttext
        import joblib
        import fasttext_clf
        import naive_tfidf
        from monitor.detect import load_model

        df = read_labelled([labelled])
        m = load_model()
        nm = joblib.load(naive_model)
        fm = fasttext.load_model(str(ft_model))
        report["quality"] = {
            "chatmon": {"held_out": m.card.get("metrics", {}).get("cv_grouped_5fold"),
                        **eval_rates(lambda ts: m.predict(ts))},
            "naive": {"held_out": held_out("naive", df), **eval_rates(lambda ts: naive_tfidf.predict(nm, ts))},
            "fasttext": {"held_out": held_out("fasttext", df), **eval_rates(lambda ts: fasttext_clf.predict(fm, ts))},
        }
        print(report["quality"])
    print("saved", save("classify" if args.sizes else "classify_quality", report))


if __name__ == "__main__":
    main()
