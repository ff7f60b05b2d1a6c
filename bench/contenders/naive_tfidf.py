"""The pipeline a data scientist writes first: jieba.lcut + TfidfVectorizer + LogisticRegression.

    python naive_tfidf.py train LABELLED_DIR MODEL_FILE
    python naive_tfidf.py classify MODEL_FILE INPUT_CSV OUTPUT_CSV
"""

import logging
import sys

import jieba
import joblib
import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline

jieba.setLogLevel(logging.WARNING)
LABELS = ("diversion", "qr_lure", "negative", "harassment")


def tokens(text):
    return jieba.lcut(text)


def build():
    return make_pipeline(TfidfVectorizer(tokenizer=tokens, token_pattern=None, lowercase=False),
                         OneVsRestClassifier(LogisticRegression(max_iter=1000)))


def fit(texts, labels):
    y = np.array([[lab in ls for lab in LABELS] for ls in labels], dtype=int)
    return build().fit(texts, y)


def predict(model, texts):
    p = model.predict_proba(texts)
    return [[lab for lab, v in zip(LABELS, row) if v >= 0.5] for row in p]


if __name__ == "__main__":
    # through the module, not __main__: the pickled tokenizer must be naive_tfidf.tokens so that
    # bench_classify.py (which imports this module) can load the model too
    import naive_tfidf as mod
    if sys.argv[1] == "train":
        from monitor.detect.labelled import read_labelled
        df = read_labelled([sys.argv[2]])
        joblib.dump(mod.fit(df["text"].tolist(), df["labels"].tolist()), sys.argv[3])
    else:
        model = joblib.load(sys.argv[2])
        texts = pd.read_csv(sys.argv[3], dtype=str, keep_default_na=False)["text"].tolist()
        pd.DataFrame({"text": texts, "labels": ["|".join(p) for p in mod.predict(model, texts)]}).to_csv(sys.argv[4], index=False)
