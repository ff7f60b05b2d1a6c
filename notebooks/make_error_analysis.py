"""Writes notebooks/error_analysis.ipynb (kept as a script so the notebook's source is reviewable)."""

from pathlib import Path

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell(
        "# Error analysis of the shipped model on real public text\n\n"
        "Runs `models/default` on every file of `../shared/eval` (evaluation only: never trained on) and shows "
        "false alarms on real agent replies, recall on real contact spam by disguise type, and the weak "
        "`negative` proxy. Set `CHATMON_NB_LIMIT` to read only the first N rows of each file (the test suite "
        "does, to stay fast)."),
    nbf.v4.new_code_cell(
        "import os, re, json\nfrom collections import Counter\nfrom pathlib import Path\nimport pandas as pd\n"
        "from monitor.detect import load_model\nfrom monitor.detect.labelled import read_labelled\n\n"
        "REPO = Path.cwd().resolve().parent if Path.cwd().name == 'notebooks' else Path.cwd().resolve()\n"
        "EVAL = Path(os.environ.get('CHATMON_EVAL_DIR', REPO.parent / 'shared' / 'eval'))\n"
        "LIMIT = int(os.environ.get('CHATMON_NB_LIMIT', '0')) or None\n"
        "model = load_model()\n"
        "print('model', model.card.get('model_id'), 'thresholds', model.thresholds)\n"
        "files = sorted(EVAL.glob('*.csv')) if EVAL.is_dir() else []\n"
        "if not files:\n"
        "    print(f'{EVAL} not found: using the bundled synthetic truth file instead')\n"
        "    t = pd.read_csv(REPO / 'data' / 'samples' / 'truth_messages.csv', encoding='utf-8-sig', keep_default_na=False)\n"
        "    t = t[t['role'] == 'agent'].rename(columns={'labels': 'expected'})\n"
        "    t['expected'] = t['expected'].replace('', 'ok')\n"
        "    sample = Path('/tmp/chatmon_nb_sample.csv'); t[['text', 'expected']].to_csv(sample, index=False)\n"
        "    files = [sample]\n"
        "files"),
    nbf.v4.new_code_cell(
        "results = {}\n"
        "for f in files:\n"
        "    df = pd.read_csv(f, dtype=str, keep_default_na=False, nrows=LIMIT)\n"
        "    cls = model.classify(df['text'].tolist())\n"
        "    df['pred'] = ['|'.join(c.labels) for c in cls]\n"
        "    df['rules'] = [';'.join(sorted({e.rule for e in c.evidence})) for c in cls]\n"
        "    results[f.name] = df\n"
        "summary = pd.DataFrame([{'file': n, 'rows': len(d), 'flagged_any': (d['pred'] != '').mean(),\n"
        "    **{f'pred_{lab}': d['pred'].str.contains(lab).sum() for lab in ('diversion', 'qr_lure', 'negative', 'harassment')}}\n"
        "    for n, d in results.items()])\n"
        "summary"),
    nbf.v4.new_markdown_cell("## False alarms: rows expected `ok` that got a label, by the rule or model feature behind them"),
    nbf.v4.new_code_cell(
        "fa = pd.concat([d.assign(file=n) for n, d in results.items()])\n"
        "fa = fa[(fa['expected'] == 'ok') & (fa['pred'] != '')]\n"
        "print(len(fa), 'false alarms')\n"
        "by_rule = Counter(r.split(':')[0] + ':' + (r.split(':')[1] if r.startswith('lexicon') else '') for rs in fa['rules'] for r in rs.split(';') if r)\n"
        "display(pd.DataFrame(by_rule.most_common(15), columns=['rule', 'false alarms']))\n"
        "fa[['file', 'text', 'pred', 'rules']].head(30)"),
    nbf.v4.new_markdown_cell("## Misses on real contact spam, by disguise type"),
    nbf.v4.new_code_cell(
        "DISGUISES = [('masked placeholder', r'WECHAT|QQ|CELLPHONE|DIGIT'), ('digits as words', r'[一二三四五六七八九零壹贰叁肆伍陆柒捌玖幺]{4,}'),\n"
        "             ('circled/fullwidth digits', r'[①-⑨❶-❾０-９]'), ('pinyin/latin', r'[a-zA-Z]{4,}'),\n"
        "             ('homophone', r'[薇威维徽卫扣寇]'), ('emoji/symbols', r'[\\U0001F300-\\U0001FAFF❤★☆♥]'), ('plain', r'.')]\n"
        "def disguise(t):\n"
        "    return next(name for name, pat in DISGUISES if re.search(pat, t))\n"
        "spam = results.get('real_contact_spam.csv')\n"
        "if spam is not None:\n"
        "    spam = spam.assign(disguise=spam['text'].map(disguise), hit=spam['pred'].str.contains('diversion'))\n"
        "    display(spam.groupby('disguise')['hit'].agg(['size', 'mean']).rename(columns={'size': 'rows', 'mean': 'recall'}))\n"
        "    display(spam.loc[~spam['hit'], ['text', 'disguise']].head(20))"),
    nbf.v4.new_markdown_cell("## `negative` on the offensive-language proxy (general social media, not service chat)"),
    nbf.v4.new_code_cell(
        "off = results.get('real_offensive_proxy.csv')\n"
        "if off is not None:\n"
        "    y = off['expected'] == 'negative'; p = off['pred'].str.contains('negative')\n"
        "    tp = int((y & p).sum()); print('precision', round(tp / max(p.sum(), 1), 3), 'recall', round(tp / max(y.sum(), 1), 3))"),
]
nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
out = Path(__file__).with_name("error_analysis.ipynb")
nbf.write(nb, out)
print("wrote", out)
