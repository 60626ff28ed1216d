"""The checks behind ``leafpress check`` and ``status``: readability, accessibility, review state."""
