"""Fetching pages over HTTP politely: timeouts, conditional GET, a per-host rate limit and robots.txt.

A `Fetcher` is built once per run and holds everything a run learns (validators, robots rules, when each
host was last asked), so nothing is global. Every failure comes back as a one-line `ReadProblem`.
"""
from __future__ import annotations

import hashlib
import re
import time
import urllib.robotparser
from dataclasses import dataclass
from datetime import date
from http import HTTPStatus
from urllib.parse import urldefrag, urlsplit

import httpx

from warmonitor.ingest import finish_article
from warmonitor.ingest.files import decode
from warmonitor.ingest.html import parse_html
from warmonitor.ingest.problem import ReadProblem
from warmonitor.ingest.text import parse_text
from warmonitor.model import Article

USER_AGENT = "warmonitor/0.1 (+local)"
MAX_BYTES = 5 * 1024 * 1024  # news pages are well under 1 MB; anything this big is not an article
ROBOTS_TTL = 24 * 3600  # a watcher runs for days: robots.txt is read again once a day, as crawlers do
_CHUNK = 64 * 1024


@dataclass
class Response:
    """What a GET brought back. `not_modified` is a 304: the copy we already have is current."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Validators:
    """What a server said about its copy, for the next request's If-None-Match / If-Modified-Since."""

    etag: str | None = None
    last_modified: str | None = None


class Fetcher:
    """One run's HTTP client. `rate` is the minimum number of seconds between two requests to one host."""

    def __init__(self, rate: float = 1.0, connect_timeout: float = 5.0, read_timeout: float = 20.0,
                 max_bytes: int = MAX_BYTES, user_agent: str = USER_AGENT):
        self.rate = rate
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self._client = httpx.Client(
            headers={"User-Agent": user_agent}, follow_redirects=True, max_redirects=5,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout))
        self._validators: dict[str, Validators] = {}
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser]] = {}
        self._last_request: dict[str, float] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def remember(self, url: str, validators: Validators) -> None:
        """Validators kept from an earlier run (the watch state table), so a restart asks conditionally too;
        empty validators make the next request unconditional."""
        self._validators[url] = validators

    def get(self, url: str, conditional: bool = True) -> Response | ReadProblem:
        """GET `url`; robots.txt is consulted first. With `conditional`, the validators we hold for it are
        sent (a 304 means our copy is current) and the answer's are kept for next time."""
        host = _host(url)
        if host is None:
            return ReadProblem(url, "not an http(s) URL")
        refusal = self._robots_refusal(url)
        if refusal is not None:
            return refusal
        headers = {}
        known = self._validators.get(url)
        if conditional and known is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        response = self._request(url, headers)
        if isinstance(response, ReadProblem):
            return response
        if response.status >= 400:
            return ReadProblem(url, f"HTTP {response.status} {_reason(response.status)}".rstrip())
        if conditional and response.status == 200 and (response.etag or response.last_modified):
            self._validators[url] = Validators(response.etag, response.last_modified)
        return response

    # --- inside -------------------------------------------------------------------------------------------

    def _wait_for_turn(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            pause = self.rate - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)

    def _request(self, url: str, headers: dict[str, str]) -> Response | ReadProblem:
        """A Response for any HTTP status; a ReadProblem when no usable answer came."""
        host = _host(url)
        self._wait_for_turn(host)
        try:
            return self._exchange(url, headers)
        finally:
            # Counted from the end of the answer: a slow server gets its full pause before the next request.
            self._last_request[host] = time.monotonic()

    def _exchange(self, url: str, headers: dict[str, str]) -> Response | ReadProblem:
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                content_type = r.headers.get("content-type", "")
                response = Response(str(r.url), r.status_code, content_type=content_type.split(";")[0].strip().lower(),
                                    charset=_charset(content_type), etag=r.headers.get("etag"),
                                    last_modified=r.headers.get("last-modified"))
                if r.status_code == 304:
                    return response
                declared = r.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    return ReadProblem(url, _too_large(self.max_bytes))
                body = bytearray()
                for chunk in r.iter_bytes(_CHUNK):
                    body += chunk
                    if len(body) > self.max_bytes:  # a server that lies about, or omits, its length
                        return ReadProblem(url, _too_large(self.max_bytes))
                response.body = bytes(body)
                return response
        except httpx.TimeoutException as exc:
            return ReadProblem(url, f"timed out ({_timeout_kind(exc)})")
        except httpx.TooManyRedirects:
            return ReadProblem(url, "too many redirects")
        except httpx.UnsupportedProtocol:
            return ReadProblem(url, "not an http(s) URL")
        except httpx.ConnectError as exc:
            return ReadProblem(url, f"cannot connect to {_host(url)} ({_one_line(exc)})")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return ReadProblem(url, f"download failed ({_one_line(exc)})")

    def _robots_refusal(self, url: str) -> ReadProblem | None:
        """None when robots.txt lets us fetch `url`; rules are fetched once per host and kept for the run."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        read_at, rules = self._robots.get(origin, (0.0, None))
        if rules is None or time.monotonic() - read_at > ROBOTS_TTL:
            rules = self._fetch_robots(origin)
            if isinstance(rules, ReadProblem):
                return rules  # not kept: an unreachable robots.txt is asked for again next time
            self._robots[origin] = (time.monotonic(), rules)
        if rules.can_fetch(self.user_agent, url):
            return None
        return ReadProblem(url, "disallowed by robots.txt", kind="skipped")

    def _fetch_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | ReadProblem:
        rules = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        response = self._request(origin + "/robots.txt", {})
        if isinstance(response, ReadProblem):
            return ReadProblem(origin + "/", f"cannot read robots.txt: {response.message}")
        if response.status in (401, 403):
            rules.disallow_all = True  # urllib.robotparser's reading: a closed robots.txt closes the site
        elif 400 <= response.status < 500:
            rules.allow_all = True  # no robots.txt: everything may be fetched
        elif response.status >= 500:
            return ReadProblem(origin + "/", f"cannot read robots.txt: HTTP {response.status}")
        else:
            rules.parse(_to_text(response).splitlines())
        rules.modified()  # can_fetch() refuses everything until the rules are marked as read
        return rules


def fetch_article(url: str, fetcher: Fetcher, *, source: str | None = None,
                  published: date | None = None) -> Article | ReadProblem:
    """The article at `url`, read by the same HTML reader as files are.

    `source` names the outlet (the feed's or site's name; the page's host when neither is known);
    `published` (a feed entry's date) wins over the page's own metadata.
    """
    response = fetcher.get(url, conditional=False)  # an article is wanted whole, whatever we saw before
    if isinstance(response, ReadProblem):
        return response
    if response.content_type and not (response.content_type.startswith("text/")
                                      or response.content_type in ("application/xhtml+xml", "application/xml")):
        return ReadProblem(url, f"not a web page ({response.content_type})")
    try:
        text = decode(_to_text(response))
    except ValueError as exc:
        return ReadProblem(url, "empty page" if str(exc) == "empty file" else str(exc))
    draft = parse_text(text) if response.content_type == "text/plain" else parse_html(text)
    if draft is None or not draft.text:
        return ReadProblem(url, "no article text found")
    result = finish_article(article_id_for(url), url, draft, published)
    if isinstance(result, Article):
        result.url = url
        result.source = source or draft.source or _host(url)
    return result


def article_id_for(url: str) -> str:
    """A stable, readable id: the page's last path segment and a short hash of the whole URL."""
    url = urldefrag(url).url
    path = urlsplit(url).path.rstrip("/")
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", path.rsplit("/", 1)[-1])
    slug = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower()[:60] or _host(url) or "page"
    return f"{slug}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


def _to_text(response: Response) -> str:
    if response.charset:
        try:
            return response.body.decode(response.charset, errors="replace")
        except LookupError:  # a charset Python does not know: fall through to UTF-8
            pass
    try:
        return response.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return response.body.decode("cp1252", errors="replace")  # old pages without a declared charset


def _host(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*\"?([\w.:-]+)", content_type, re.I)
    return match.group(1) if match else None


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _too_large(limit: int) -> str:
    return f"too large (limit {limit / 1024 / 1024:g} MB)"


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "no connection"
    if isinstance(exc, httpx.ReadTimeout):
        return "no answer"
    return "too slow"


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
