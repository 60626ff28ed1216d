"""What every stage shares: errors with locations, the leaflet and config models, the project, languages."""
