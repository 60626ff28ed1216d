"""Stage 4 and 5: the document through the Jinja templates to HTML, and the HTML through WeasyPrint."""
