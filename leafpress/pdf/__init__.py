"""The written PDF read back and changed with pikepdf: tagging fixes, print boxes, XMP, imposition, checks."""
