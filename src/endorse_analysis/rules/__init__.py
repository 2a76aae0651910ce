"""The contract's rules, once: exact thresholds, the SQL rule macros, how figures are said,
privacy of breakdowns, and the margins to each threshold."""

from endorse_analysis.rules.macros import install_macros
from endorse_analysis.rules.thresholds import ThresholdError, Thresholds, decimal_text

__all__ = ["ThresholdError", "Thresholds", "decimal_text", "install_macros"]
