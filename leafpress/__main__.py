"""Allow ``python -m leafpress``."""

from leafpress.cli import main

if __name__ == "__main__":
    main()
