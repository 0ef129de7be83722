"""How gazetteer rows and their name index are kept.

The bundled gazetteer holds over a quarter of a million places under a third of a million names. As Python strings and a
dict that would take several hundred MB, so it is packed instead (`PackedPlaces`): all rows in one UTF-8 byte
buffer with their offsets, and the name index as a sorted array of 64-bit name hashes pointing into an array of
row numbers (each doubled, plus one when the name is only an alternate name of the place: a town's other
names are often another language's, and the resolver trusts them less). A lookup is a hash and a binary
search; a row is decoded only when asked for.

The committed file (`places.npz`) is compressed to stay small, and a compressed array can only be read whole:
that cost some 50 MB of every process (75 MB at the peak of loading). So on first use its arrays are unpacked
once into plain `.npy` files in the user's cache directory (about 35 MB on disk, see user_cache_dir()), and a
process reads from them only the few elements each lookup needs. The name hashes, which every lookup searches,
are memory-mapped (at most 2.7 MB, shared between processes); rows and postings are read with pread(), so they
stay in the kernel's page cache rather than in the process. Where no cache can be written the arrays are
unpacked into memory instead, with the same results.

Files that `warmonitor gazetteer import` writes are small and stay as text (`TextPlaces`).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

# Bump when the unpacked files change, so that caches written by an older warmonitor are not read.
CACHE_LAYOUT = "1"
# The arrays a lookup reads, each unpacked into `NAME.npy`.
ARRAYS = ("blob", "offsets", "keys", "starts", "postings", "id_order")
_COMPACT_ERRORS = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


class GazetteerError(RuntimeError):
    """The gazetteer data is missing or was built by an incompatible version."""


def name_hash(key: str) -> int:
    """A stable 64-bit hash of a folded name (Python's hash() changes from one process to the next)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def user_cache_dir() -> Path:
    """Where derived files that can be rebuilt at any time go: $WARMONITOR_CACHE, else the XDG cache directory."""
    if os.environ.get("WARMONITOR_CACHE"):
        return Path(os.environ["WARMONITOR_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "warmonitor"


def unpacked_arrays(path: Path) -> Iterator[tuple[str, np.ndarray | dict]]:
    """The arrays a lookup reads, rebuilt one at a time from the compact file, then ("meta", header and
    max_words). One at a time, so that unpacking costs at most one array's copy at once."""
    with np.load(path, allow_pickle=False) as z:
        # the file stores what compresses well (row lengths, gaps between sorted hashes, posting counts); the
        # offsets and starts a lookup needs are sums of them
        yield "blob", z["blob"]
        yield "offsets", np.concatenate(([0], np.cumsum(z["lengths"], dtype=np.int64)))
        yield "keys", np.cumsum(z["key_steps"], dtype=np.uint64)
        yield "starts", np.concatenate(([0], np.cumsum(z["counts"], dtype=np.int64)))
        yield "postings", z["postings"].astype(np.int32, copy=False)
        yield "id_order", z["id_order"].astype(np.int32, copy=False)
        yield "meta", {"header": z["header"].tobytes().decode("utf-8"), "max_words": int(z["max_words"][0])}


def _file_digest(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, lambda: hashlib.blake2b(digest_size=10)).hexdigest()


class _Column:
    """One array of the bundled gazetteer, read a few elements at a time."""

    def ints(self, start: int, stop: int) -> list[int]:
        raise NotImplementedError

    def raw(self, start: int, stop: int) -> bytes:
        raise NotImplementedError


class _InMemory(_Column):
    def __init__(self, array: np.ndarray):
        self._view = memoryview(np.ascontiguousarray(array))  # indexes to plain ints, slices to bytes, fast
        self.size = len(self._view)

    def ints(self, start: int, stop: int) -> list[int]:
        return self._view[start:stop].tolist()

    def raw(self, start: int, stop: int) -> bytes:
        return self._view[start:stop].tobytes()


class _OnDisk(_Column):
    """An unpacked `.npy` file read with pread(). Not memory-mapped: the kernel maps the pages around every page
    touched (64 KB at a time), so a few thousand scattered rows would map nearly the whole file into the
    process; what pread() reads stays in the page cache, outside the process."""

    def __init__(self, path: Path):
        self._file = path.open("rb", buffering=0)
        try:
            version = np.lib.format.read_magic(self._file)
            read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                           else np.lib.format.read_array_header_2_0)
            shape, _, dtype = read_header(self._file)
        except ValueError:
            self._file.close()
            raise
        self._dtype = dtype
        self._width = dtype.itemsize
        self._start = self._file.tell()
        self.size = shape[0]
        if os.fstat(self._file.fileno()).st_size != self._start + self.size * self._width:
            self._file.close()
            raise ValueError(f"{path} is truncated")

    def raw(self, start: int, stop: int) -> bytes:
        return os.pread(self._file.fileno(), (stop - start) * self._width, self._start + start * self._width)

    def ints(self, start: int, stop: int) -> list[int]:
        return np.frombuffer(self.raw(start, stop), dtype=self._dtype).tolist()


class PackedPlaces:
    """Rows and name index of the bundled gazetteer: read from its unpacked cache (or held in memory)."""

    def __init__(self, columns: dict[str, _Column], keys: np.ndarray, header: str, max_words: int):
        self._blob = columns["blob"]
        self._offsets = columns["offsets"]
        self._starts = columns["starts"]
        self._postings = columns["postings"]
        self._id_order = columns["id_order"]
        # every lookup binary-searches the name hashes, so they are mapped (2.7 MB, shared between processes); a
        # plain ndarray view of the map, since numpy's memmap subclass adds a Python call to every element read
        self._keys = np.asarray(keys)
        self._rows_by_id: dict[str, int] = {}  # ids found so far: the same few places are asked for again and again
        self.header = header
        self.max_words = max_words
        if not (self._offsets.size == self._id_order.size + 1 and self._starts.size == len(keys) + 1
                and self._offsets.ints(self._offsets.size - 1, self._offsets.size) == [self._blob.size]
                and self._starts.ints(self._starts.size - 1, self._starts.size) == [self._postings.size]):
            raise ValueError("the gazetteer arrays do not fit together")

    @classmethod
    def load(cls, path: Path, cache_dir: Path | None = None) -> "PackedPlaces":
        """The gazetteer in `path` (a `.npz` file written by `write_packed`), read from its unpacked copy in
        `cache_dir` (default: user_cache_dir()), which is written first if it is missing or damaged."""
        path = Path(path)
        try:
            folder = (cache_dir or user_cache_dir()) / f"gazetteer-{CACHE_LAYOUT}-{_file_digest(path)}"
        except OSError as exc:
            raise GazetteerError(f"cannot read gazetteer {path}: {exc} (run scripts/build_gazetteer.py)") from exc
        try:
            return cls._open(folder)
        except (OSError, ValueError, KeyError):
            pass  # not unpacked yet, or damaged: unpack it afresh
        try:
            _unpack(path, folder)
            return cls._open(folder)
        except GazetteerError:
            raise
        except (OSError, ValueError, KeyError):
            # no writable cache (a read-only home, a full disk): the same arrays, in memory
            return cls.load_in_memory(path)

    @classmethod
    def load_in_memory(cls, path: Path) -> "PackedPlaces":
        arrays = dict(_read_compact(path))
        meta = arrays.pop("meta")
        keys = arrays.pop("keys")
        try:
            return cls({name: _InMemory(a) for name, a in arrays.items()}, keys, meta["header"], meta["max_words"])
        except (KeyError, ValueError) as exc:
            raise GazetteerError(f"gazetteer {path} is incomplete ({exc}): rerun scripts/build_gazetteer.py") from exc

    @classmethod
    def _open(cls, folder: Path) -> "PackedPlaces":
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        keys = np.load(folder / "keys.npy", mmap_mode="r", allow_pickle=False)
        columns = {name: _OnDisk(folder / f"{name}.npy") for name in ARRAYS if name != "keys"}
        return cls(columns, keys, meta["header"], meta["max_words"])

    def __len__(self) -> int:
        return self._offsets.size - 1

    def row(self, i: int) -> str:
        start, stop = self._offsets.ints(i, i + 2)
        return self._blob.raw(start, stop).decode("utf-8")

    def _key_position(self, key: str) -> int | None:
        h = np.uint64(name_hash(key))
        j = int(self._keys.searchsorted(h))
        return j if j < len(self._keys) and self._keys[j] == h else None

    def rows_for(self, key: str) -> list[tuple[int, bool]]:
        """(row, only an alternate name) for each place the folded name may mean."""
        j = self._key_position(key)
        if j is None:
            return []
        start, stop = self._starts.ints(j, j + 2)
        return [(p >> 1, bool(p & 1)) for p in self._postings.ints(start, stop)]

    def has(self, key: str) -> bool:
        return self._key_position(key) is not None

    def row_of_id(self, record_id: str) -> int | None:
        if record_id not in self._rows_by_id:
            self._rows_by_id[record_id] = self._search_id(record_id)
        return self._rows_by_id[record_id]

    def _search_id(self, record_id: str) -> int | None:
        lo, hi = 0, self._id_order.size
        while lo < hi:  # binary search over rows in id order: no separate id index to ship or build
            mid = (lo + hi) // 2
            row = self._id_order.ints(mid, mid + 1)[0]
            found = self.row(row).split("\t", 1)[0]
            if found == record_id:
                return row
            if found < record_id:
                lo = mid + 1
            else:
                hi = mid
        return None


def _read_compact(path: Path) -> Iterator[tuple[str, np.ndarray | dict]]:
    """unpacked_arrays(), with a bad or incomplete file reported as a GazetteerError."""
    try:
        yield from unpacked_arrays(path)
    except _COMPACT_ERRORS as exc:
        raise GazetteerError(f"cannot read gazetteer {path}: {exc} (run scripts/build_gazetteer.py)") from exc


def _unpack(path: Path, folder: Path) -> None:
    """Write the unpacked arrays of `path` into `folder`. Written beside it under a name of this process's own,
    then renamed: another process never sees a half-written folder, and when two unpack at once, one wins and
    the other's copy is dropped."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.exists():  # damaged (the caller could not open it): set it aside first
        stale = folder.with_name(f"{folder.name}.stale-{os.getpid()}")
        os.rename(folder, stale)
        shutil.rmtree(stale, ignore_errors=True)
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name, value in _read_compact(path):
            if name == "meta":
                (tmp / "meta.json").write_text(json.dumps(value), encoding="utf-8")
            else:
                np.save(tmp / f"{name}.npy", value, allow_pickle=False)
            del value  # let this array go before the next is unpacked
        try:
            os.rename(tmp, folder)
        except OSError:
            if not (folder / "meta.json").is_file():  # not merely another process that got there first
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
