"""Root-cause categories of remittance adjustments (group + CARC + RARC) and their selector."""

from denials.categories.rules import (
    AdjustmentKey,
    BadAdjustmentKey,
    Category,
    adjustment_key_parse,
    denial_category,
)

__all__ = [
    "AdjustmentKey",
    "BadAdjustmentKey",
    "Category",
    "adjustment_key_parse",
    "denial_category",
]
