"""How gazetteer rows and their name index are kept in memory.

The bundled gazetteer holds over a quarter of a million places under a third of a million names. As Python strings and a
dict that would take several hundred MB, so it is packed instead (`PackedPlaces`): all rows in one UTF-8 byte
buffer with their offsets, and the name index as a sorted array of 64-bit name hashes pointing into an array of
row numbers (each doubled, plus one when the name is only an alternate name of the place: a town's other
names are often another language's, and the resolver trusts them less). A lookup is a hash and a binary
search; a row is decoded only when asked for.

Files that `warmonitor gazetteer import` writes are small and stay as text (`TextPlaces`).
"""
from __future__ import annotations

import gzip
import hashlib
import zipfile
from pathlib import Path

import numpy as np


class GazetteerError(RuntimeError):
    """The gazetteer data is missing or was built by an incompatible version."""


def name_hash(key: str) -> int:
    """A stable 64-bit hash of a folded name (Python's hash() changes from one process to the next)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


class PackedPlaces:
    """Rows and name index from a `.npz` file written by `write_packed`."""

    def __init__(self, blob: np.ndarray, lengths: np.ndarray, key_steps: np.ndarray, counts: np.ndarray,
                 postings: np.ndarray, id_order: np.ndarray, header: str, max_words: int):
        # The file stores what compresses well (row lengths, gaps between sorted hashes, posting counts);
        # the offsets and starts a lookup needs are rebuilt here.
        self._blob = blob.tobytes()
        self._offsets = [0, *np.cumsum(lengths, dtype=np.int64).tolist()]  # a list: cheaper to index than numpy
        self._keys = np.cumsum(key_steps, dtype=np.uint64)
        self._starts = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))
        self._postings = postings
        self._id_order = id_order.tolist()  # row numbers sorted by record id
        self.header = header
        self.max_words = max_words

    @classmethod
    def load(cls, path: Path) -> "PackedPlaces":
        try:
            with np.load(path, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise GazetteerError(f"cannot read gazetteer {path}: {exc} (run scripts/build_gazetteer.py)") from exc
        try:
            header = arrays.pop("header").tobytes().decode("utf-8")
            max_words = int(arrays.pop("max_words")[0])
            return cls(header=header, max_words=max_words, **arrays)
        except (KeyError, TypeError) as exc:
            raise GazetteerError(f"gazetteer {path} is incomplete ({exc}): rerun scripts/build_gazetteer.py") from exc

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def row(self, i: int) -> str:
        return self._blob[self._offsets[i]:self._offsets[i + 1]].decode("utf-8")

    def rows_for(self, key: str) -> list[tuple[int, bool]]:
        """(row, only an alternate name) for each place the folded name may mean."""
        h = np.uint64(name_hash(key))
        j = int(np.searchsorted(self._keys, h))
        if j == len(self._keys) or self._keys[j] != h:
            return []
        return [(p >> 1, bool(p & 1)) for p in self._postings[self._starts[j]:self._starts[j + 1]].tolist()]

    def has(self, key: str) -> bool:
        h = np.uint64(name_hash(key))
        j = int(np.searchsorted(self._keys, h))
        return j < len(self._keys) and self._keys[j] == h

    def row_of_id(self, record_id: str) -> int | None:
        lo, hi = 0, len(self._id_order)
        while lo < hi:  # binary search over rows in id order: no separate id index to ship or build
            mid = (lo + hi) // 2
            row = self._id_order[mid]
            found = self.row(row).split("\t", 1)[0]
            if found == record_id:
                return row
            if found < record_id:
                lo = mid + 1
            else:
                hi = mid
        return None


def write_packed(path: Path, header: str, rows: list[str], names: list[list[str]],
                 primary: list[int] | None = None) -> dict[str, int]:
    """Write rows (tab-separated lines, the record id first) and, for each row, its folded names, of which the
    first `primary[i]` (default 1) are the place's own name; the rest are alternate names."""
    data = [r.encode("utf-8") for r in rows]
    by_key: dict[int, list[int]] = {}
    max_words = 1
    for i, keys in enumerate(names):
        own = set(keys[:primary[i] if primary else 1])
        for key in dict.fromkeys(keys):
            by_key.setdefault(name_hash(key), []).append(i * 2 + (key not in own))
            max_words = max(max_words, key.count(" ") + 1)
    keys = np.array(sorted(by_key), dtype=np.uint64)
    postings = np.array([i for k in keys for i in by_key[int(k)]], dtype=np.int32)
    id_order = np.array(sorted(range(len(rows)), key=lambda i: rows[i].split("\t", 1)[0]), dtype=np.int32)
    np.savez_compressed(path, blob=np.frombuffer(b"".join(data), dtype=np.uint8),
                        lengths=np.array([len(d) for d in data], dtype=np.uint16),
                        key_steps=np.diff(keys, prepend=np.uint64(0)),
                        counts=np.array([len(by_key[int(k)]) for k in keys], dtype=np.uint32),
                        postings=postings, id_order=id_order,
                        header=np.frombuffer(header.encode("utf-8"), dtype=np.uint8),
                        max_words=np.array([max_words], dtype=np.int32))
    return {"rows": len(rows), "names": len(keys)}


class TextPlaces:
    """Rows and name index from a gzipped text file: the header line, the rows, a mark line, then one line per
    folded name with its row numbers (`name<TAB>3,17`)."""

    def __init__(self, rows: list[str], index: dict[str, str], header: str):
        self._rows = rows
        self._index = index
        self.header = header
        self.max_words = max((k.count(" ") + 1 for k in index), default=1)
        self._ids: dict[str, int] | None = None

    @classmethod
    def load(cls, path: Path, index_mark: str) -> "TextPlaces":
        try:
            with gzip.open(path, "rb") as f:
                text = f.read().decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise GazetteerError(f"cannot read gazetteer {path}: {exc}") from exc
        header, _, text = text.partition("\n")
        body, mark, index_text = text.partition(f"\n{index_mark}\n")
        if not mark:
            raise GazetteerError(f"gazetteer {path} has no name index: re-import it")
        index = dict(line.split("\t", 1) for line in index_text.split("\n") if line)
        return cls(body.split("\n") if body else [], index, header)

    def __len__(self) -> int:
        return len(self._rows)

    def row(self, i: int) -> str:
        return self._rows[i]

    def rows_for(self, key: str) -> list[tuple[int, bool]]:
        found = self._index.get(key)
        return [(int(i), False) for i in found.split(",")] if found else []

    def has(self, key: str) -> bool:
        return key in self._index

    def row_of_id(self, record_id: str) -> int | None:
        if self._ids is None:
            self._ids = {line[:line.index("\t")]: i for i, line in enumerate(self._rows)}
        return self._ids.get(record_id)
