"""The live preview: ``python generate.py preview`` serves every leaflet as it will print,
with its readability proof beside it, and updates the open page whenever a file is saved.

One module per job: ``sources`` (which files are leaflets), ``status`` (review state),
``proof`` (readability), ``page_images`` (PDF to PNG), ``builds`` (the warm build worker),
``live`` (who is watching what, and pushing updates), ``watch`` (file watching), ``app``
(the web pages) and ``server`` (binding the port and running it).
"""

from leafpress.preview.server import serve

__all__ = ["serve"]
