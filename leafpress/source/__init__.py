"""Stage 1 and 2, reading input: YAML with locations, validation, the project config, translations."""
