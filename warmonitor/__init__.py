"""warmonitor: news reports about armed conflict in, ACLED-grade events out."""
__version__ = "0.1.0"
