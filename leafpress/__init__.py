"""leafpress: turn YAML leaflet definitions into accessible, printable PDF leaflets."""

__version__ = "0.1.0"
