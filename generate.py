#!/usr/bin/env python3
"""Entry point: ``python generate.py`` is the same CLI as the ``leafpress`` command."""

import sys
from pathlib import Path

# Let ``python path/to/generate.py`` work from any folder, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from leafpress.cli.commands import main  # noqa: E402

if __name__ == "__main__":
    main()
