"""The strategic self-assessment (PRODUCT §8): indicators, the records' suggestions, a unit's own answers."""
