"""Text normalisation for detection: see monitor/text/normalise.py."""

from .normalise import DIGIT_VALUES, NormalisedText, digit_runs, normalise, normalise_text

__all__ = ["NormalisedText", "normalise", "normalise_text", "digit_runs", "DIGIT_VALUES"]
