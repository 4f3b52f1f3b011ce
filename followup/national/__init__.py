"""The national export (PRODUCT §8): a suppressed aggregate per unit and period, and its page."""
