"""Names the stages share that need no model loaded: the command line's help and project
discovery use them before (or without) reading any config."""

from __future__ import annotations

CONFIG_NAME = "leafpress.yaml"
# The format a build makes when neither the command line nor the config names one.
DEFAULT_FORMAT = "standard"
