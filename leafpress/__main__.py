"""Allow ``python -m leafpress``."""

from leafpress.cli.commands import main

if __name__ == "__main__":
    main()
