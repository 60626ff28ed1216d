"""Stage 3, enrich: the leaflet made into a format-neutral document, with everything leafpress adds."""
