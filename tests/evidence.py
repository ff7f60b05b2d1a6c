"""Compare rule evidence to literal expectations: (label, match, rule) triples, spans checked too."""

from monitor.detect.rules import find_evidence, rule_labels


def triples(text):
    ev = find_evidence(text)
    for e in ev:
        assert text[e.start:e.end] == e.match      # spans point into the original text
    return [(e.label, e.match, e.rule) for e in ev]


def labels(text):
    return rule_labels(find_evidence(text))
