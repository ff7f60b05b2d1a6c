"""fastText supervised on jieba-segmented text with word bigrams (one-vs-all loss for multi-label).

    python fasttext_clf.py train LABELLED_DIR MODEL_FILE
    python fasttext_clf.py classify MODEL_FILE INPUT_CSV OUTPUT_CSV
"""

import logging
import os
import sys
import tempfile

import fasttext
import jieba
import pandas as pd

jieba.setLogLevel(logging.WARNING)


def seg(text):
    return " ".join(w for w in jieba.lcut(text.replace("\n", " ")) if w.strip())


def fit(texts, labels, path=None):
    fd, tmp = tempfile.mkstemp(suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for t, ls in zip(texts, labels):
            tags = " ".join(f"__label__{lab}" for lab in ls) or "__label__ok"
            fh.write(f"{tags} {seg(t)}\n")
    model = fasttext.train_supervised(tmp, wordNgrams=2, epoch=25, lr=0.5, loss="ova", verbose=0, seed=13, thread=1)
    os.unlink(tmp)
    return model


def predict(model, texts):
    # model.f.predict is the C++ binding: fasttext-wheel 0.9.2's Python predict() breaks on NumPy 2
    # (np.array(copy=False)); the binding returns (probability, label) pairs directly.
    out = []
    for t in texts:
        pairs = model.f.predict(seg(t) + "\n", -1, 0.5, "strict")
        out.append([lab.replace("__label__", "") for _, lab in pairs if lab != "__label__ok"])
    return out


if __name__ == "__main__":
    if sys.argv[1] == "train":
        from monitor.detect.labelled import read_labelled
        df = read_labelled([sys.argv[2]])
        fit(df["text"].tolist(), df["labels"].tolist()).save_model(sys.argv[3])
    else:
        model = fasttext.load_model(sys.argv[2])
        texts = pd.read_csv(sys.argv[3], dtype=str, keep_default_na=False)["text"].tolist()
        pd.DataFrame({"text": texts, "labels": ["|".join(p) for p in predict(model, texts)]}).to_csv(sys.argv[4], index=False)
