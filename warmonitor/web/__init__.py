"""warmonitor's web face: a JSON API over the store and the map page that reads it (`warmonitor serve`)."""
