"""`warmonitor serve`: the map and the JSON API over a database, with uvicorn."""
from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys

from warmonitor.errors import EXIT_USAGE, UserError

SERVE_EPILOG = """examples:
  warmonitor serve                                  # ./warmonitor.db at http://127.0.0.1:8000/
  warmonitor serve --db conflict.db --port 8080
  warmonitor serve --tiles 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'
The API is documented at /api/docs. Port 0 picks a free port; the URL printed is the one to open.
"""

TILES_ENV = "WARMONITOR_TILES"


def add_commands(sub, ev_sub) -> None:
    from warmonitor.store.db import add_db_option

    srv = sub.add_parser(
        "serve", help="serve the map and the JSON API over a database",
        description="Serve a warmonitor database: the map at /, the JSON API under /api (documented at "
                    "/api/docs). Listens on 127.0.0.1 unless told otherwise; the API has no login, so only "
                    "open it to a network you trust.",
        epilog=SERVE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_db_option(srv)
    srv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    srv.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000; 0: any free port)")
    srv.add_argument("--tiles", metavar="URL",
                     help=f"map tile URL template, e.g. OpenStreetMap's (default ${TILES_ENV}, else the offline "
                          "world outline)")
    srv.set_defaults(run=run_serve)


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {value!r}")
    return int(value)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from warmonitor.store.db import Store
    from warmonitor.web.app import create_app
    from warmonitor.web.assets import INSTALL_HINT, missing_assets

    Store.open(args.db, create=False).close()  # a missing or unreadable file is one line, before listening
    tiles = args.tiles or os.environ.get(TILES_ENV) or None
    listener = _listen(args.host, args.port)
    host, port = listener.getsockname()[:2]
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    if not _is_loopback(host):
        print(f"warmonitor: warning: listening on {host}, beyond this machine; the API has no login",
              file=sys.stderr)
    missing = missing_assets()
    if missing:  # the API works without them; the map page does not
        print(f"warmonitor: warning: the map page lacks {len(missing)} file(s) ({missing[0]}, ...): {INSTALL_HINT}",
              file=sys.stderr)
    print(f"warmonitor: serving {args.db} at {url} (Ctrl-C to stop)", flush=True)
    server = uvicorn.Server(uvicorn.Config(create_app(args.db, tiles=tiles), log_level="warning",
                                           access_log=False))
    server.run(sockets=[listener])  # returns after Ctrl-C or SIGTERM, once requests in flight are answered
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket made here, so a taken port is one clear line and port 0 tells us what it got."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", EXIT_USAGE) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart need not wait for TIME_WAIT
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
