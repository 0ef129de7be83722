"""A real HTTP server on 127.0.0.1 for the watch tests: it serves tests/data/feeds like a small news site.

It answers conditional requests with 304, keeps a log of every request (path, time, headers), serves a
robots.txt that closes /private/, stalls on /slow/ paths, and can publish a new feed item while it runs.
"""
from __future__ import annotations

import email.utils
import hashlib
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "data" / "feeds"
START = 1710000000  # the fixtures' Last-Modified time (March 2024), so If-Modified-Since has a fixed point


@dataclass
class Hit:
    path: str
    at: float  # time.monotonic() when the request arrived
    status: int
    headers: dict[str, str]


@dataclass
class _Document:
    body: bytes
    content_type: str
    modified: int  # seconds since the epoch

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class FeedServer:
    """Start with `with FeedServer() as server:`; `server.url("/rss.xml")` is a fixture's address."""

    slow_seconds: float = 3.0
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._docs: dict[str, _Document] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True  # a stalled /slow/ answer must not hold up shutdown
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        for path in sorted(FIXTURES.rglob("*")):
            if path.is_file():
                body = path.read_bytes().replace(b"{base}", self.base.encode())
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if path.suffix == ".xml":
                    kind = "application/atom+xml" if b"<feed" in body else "application/rss+xml"
                self._docs["/" + path.relative_to(FIXTURES).as_posix()] = _Document(body, kind, START)

    def __enter__(self) -> "FeedServer":
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str, status: int | None = None) -> int:
        """How many requests `path` got (with that status, if given)."""
        with self._lock:
            return sum(1 for h in self.hits if h.path == path and (status is None or h.status == status))

    def times(self, path: str) -> list[float]:
        with self._lock:
            return [h.at for h in self.hits if h.path == path]

    def publish(self, feed_path: str, title: str, link_path: str, guid: str, description: str = "") -> None:
        """Put a new item at the top of an RSS feed, as a newsroom would; its ETag and date change with it."""
        with self._lock:
            doc = self._docs[feed_path]
            item = (f"<item><title>{title}</title><link>{self.base}{link_path}</link>"
                    f"<guid isPermaLink=\"false\">{guid}</guid><description>{description}</description></item>\n"
                    f"    <item>")
            doc.body = doc.body.replace(b"<item>", item.encode(), 1)
            doc.modified += 60  # Last-Modified has whole seconds: make sure the change shows in it

    def put(self, path: str, body: str, content_type: str) -> None:
        """Serve `body` at `path` from now on (a feed or page a single test needs)."""
        with self._lock:
            self._docs[path] = _Document(body.replace("{base}", self.base).encode(), content_type, START)

    # --- serving ------------------------------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        arrived = time.monotonic()
        if path.startswith("/slow/"):
            self._stop.wait(self.slow_seconds)  # longer than the client's read timeout in the tests
        with self._lock:
            doc = self._docs.get(path)
            status = 404 if doc is None else 304 if _unchanged(handler, doc) else 200
            self.hits.append(Hit(path, arrived, status, dict(handler.headers.items())))
        if doc is None:
            handler.send_error(404)
            return
        handler.send_response(status)
        handler.send_header("ETag", doc.etag)
        handler.send_header("Last-Modified", email.utils.formatdate(doc.modified, usegmt=True))
        if status == 304:
            handler.end_headers()
            return
        handler.send_header("Content-Type", f"{doc.content_type}; charset=utf-8")
        handler.send_header("Content-Length", str(len(doc.body)))
        handler.end_headers()
        handler.wfile.write(doc.body)


def _unchanged(handler: BaseHTTPRequestHandler, doc: _Document) -> bool:
    """RFC 9110: If-None-Match decides when present; If-Modified-Since only without it."""
    etags = handler.headers.get("If-None-Match")
    if etags is not None:
        return doc.etag in [tag.strip() for tag in etags.split(",")]
    since = handler.headers.get("If-Modified-Since")
    if since:
        parsed = email.utils.parsedate_to_datetime(since)
        return parsed is not None and doc.modified <= parsed.timestamp()
    return False


def _handler_for(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            server._answer(self)

        def log_message(self, *args) -> None:  # keep pytest's output clean
            pass

    return Handler
