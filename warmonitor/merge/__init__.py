"""Cross-article event merging: which reports tell the same event (`coref`), and one record from them
all (`combine`). Pure functions over model objects; the store and `eval dedup` drive them."""
from warmonitor.merge.combine import absorb, start_merged
from warmonitor.merge.coref import best_match, compare, search_window

__all__ = ["absorb", "best_match", "compare", "search_window", "start_merged"]
