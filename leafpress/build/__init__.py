"""Building: the one-leaflet pipeline, batches, worker processes, the manifest, atomic writes."""
