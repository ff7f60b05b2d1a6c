"""Detection of risky seller messages: evasion-proof rules + a trained classifier.

Public API (the CLI and the scan call only these):
    LABELS, Evidence, Classification   (monitor.detect.types)
    load_model(path=None, operating_point=None, sklearn=False) -> Classifier   (monitor.detect.model)
"""

from .types import LABELS, Classification, Evidence

__all__ = ["LABELS", "Classification", "Evidence", "load_model"]


def load_model(path=None, operating_point=None, sklearn=False):
    from .model import load_model as _load
    return _load(path, operating_point, sklearn=sklearn)
