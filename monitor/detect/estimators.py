"""The rule counts and the message shapes as scikit-learn transformers (the classifier's FeatureUnion).

They are defined here rather than beside rule_rows (monitor/detect/rules.py) and shape_rows
(monitor/detect/features.py) so that those modules import no scikit-learn: predicting needs them, and
`chatmon classify` and the scan predict through the stand-ins of monitor.detect.standins without
importing sklearn (~0.9 s of every run). Each class keeps the name models have always pickled it
under (monitor.detect.rules.RuleFeatures, monitor.detect.features.ShapeFeatures): its `__module__`
says so, and those modules hand it out from here on first use (their module-level __getattr__), so
old and new model files name the same class and are byte for byte what they were.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin

from .features import ShapeCounts, shape_vector
from .rules import RuleCounts, rule_vector


class RuleFeatures(RuleCounts, BaseEstimator, TransformerMixin):
    """The rule counts as a sparse matrix, for the classifier's FeatureUnion. Stateless."""

    __module__ = "monitor.detect.rules"     # its name in pickled models (see above)

    def fit(self, X, y=None):
        return self

    def row(self, text) -> list[float]:
        """One text's row (what transform stacks; training caches it per text, monitor.detect.textwork)."""
        return rule_vector(text)


class ShapeFeatures(ShapeCounts, BaseEstimator, TransformerMixin):
    """shape_vector of each text as a sparse matrix. Stateless."""

    __module__ = "monitor.detect.features"     # its name in pickled models (see above)

    def fit(self, X, y=None):
        return self

    def row(self, text) -> list[float]:
        """One text's row (what transform stacks; training caches it per text, monitor.detect.textwork)."""
        return shape_vector(str(text))
