"""The charity's workflow around the pipeline: import from Word, translator exchange, the audit pack."""
