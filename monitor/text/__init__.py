"""Text normalisation for detection: see monitor/text/normalise.py."""

from .digits import DIGIT_VALUES
from .normalise import NormalisedText, digit_runs, normalise, normalise_text, runs_with_groups

__all__ = ["NormalisedText", "normalise", "normalise_text", "digit_runs", "runs_with_groups", "DIGIT_VALUES"]
