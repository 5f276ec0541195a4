"""A small TCP proxy the fault tests put between the app and PostgreSQL (or Redis), so they can cut
the database off and bring it back without touching the shared server.

``cut()`` closes every open connection and, until ``restore()``, closes each new one as soon as
it is accepted: to the app it looks like a database that has gone away.
"""
from __future__ import annotations

import os
import selectors
import socket
import threading
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from sqlalchemy.engine import make_url

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def fault_database_url() -> str:
    """PostgreSQL for the fault tests, in both passes of the suite: ``TEST_DATABASE_URL`` on the
    PostgreSQL pass (the same database as the rest of the suite), else ``FAULT_DATABASE_URL``."""
    main = os.environ.get("TEST_DATABASE_URL", "")
    if main.startswith("postgresql"):
        return main
    return os.environ.get("FAULT_DATABASE_URL") or DEFAULT_URL


def start_proxy() -> TcpProxy:
    """A proxy to the fault tests' PostgreSQL; the test fails, with the reason, if it cannot be reached."""
    url = make_url(fault_database_url())
    host, port = url.host or "127.0.0.1", url.port or 5432
    try:
        psycopg.connect(host=host, port=port, user=url.username, password=url.password, dbname=url.database,
                        connect_timeout=5).close()
    except psycopg.Error as error:
        pytest.fail(f"The database fault tests need PostgreSQL at {host}:{port}, database {url.database!r}, and could "
                    f"not reach it ({type(error).__name__}: {error}). Start PostgreSQL, or set FAULT_DATABASE_URL "
                    "to a PostgreSQL database these tests may use.", pytrace=False)
    return TcpProxy(host, port)


def url_through(proxy: TcpProxy) -> str:
    """The fault tests' database URL, pointed at the proxy."""
    url = make_url(fault_database_url()).set(host="127.0.0.1", port=proxy.port)
    # A refused connection fails at once; the timeout only bounds a test that goes wrong.
    return url.update_query_dict({"connect_timeout": "3"}).render_as_string(hide_password=False)


DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def fault_redis_url() -> str:
    """Redis for the fault tests: ``TEST_REDIS_URL`` (``.ci/run`` sets it for both passes), else db 15 here."""
    return os.environ.get("TEST_REDIS_URL") or DEFAULT_REDIS_URL


def start_redis_proxy() -> TcpProxy:
    """A proxy to the fault tests' Redis; the test fails, with the reason, if it cannot be reached."""
    import redis

    url = fault_redis_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        pytest.fail(f"The Redis fault tests need Redis at {url} and could not reach it ({type(error).__name__}: "
                    f"{error}). Start Redis, or set TEST_REDIS_URL to a Redis database these tests may use.",
                    pytrace=False)
    parts = urlsplit(url)
    return TcpProxy(parts.hostname or "127.0.0.1", parts.port or 6379)


def redis_url_through(proxy: TcpProxy) -> str:
    """The fault tests' Redis URL, pointed at the proxy."""
    parts = urlsplit(fault_redis_url())
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=netloc))


class TcpProxy:
    def __init__(self, target_host: str = "127.0.0.1", target_port: int = 5432):
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = False
        self._stopping = False
        self._threads: list[threading.Thread] = []
        self.accepted = 0   # connections let through, so a test can tell a reused one from a new one
        self._acceptor = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)
        self._acceptor.start()

    # --- what the tests use ---------------------------------------------------------------------------

    def cut(self) -> None:
        with self._lock:
            self._cut = True
            doomed = list(self._open)
        for sock in doomed:
            _close(sock)

    def restore(self) -> None:
        with self._lock:
            self._cut = False

    @property
    def is_cut(self) -> bool:
        return self._cut

    def stop(self) -> None:
        self.cut()
        self._stopping = True
        self._acceptor.join(timeout=5)
        _close(self._listener)
        for thread in self._threads:
            thread.join(timeout=5)

    # --- the forwarding ---------------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopping:
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._cut:
                _close(client)
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            with self._lock:
                if self._cut:  # cut while connecting
                    _close(client)
                    _close(server)
                    continue
                self._open.update((client, server))
                self.accepted += 1
            thread = threading.Thread(target=self._pipe, args=(client, server), name="tcp-proxy-pipe", daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            thread.start()

    def _pipe(self, client: socket.socket, server: socket.socket) -> None:
        peers = {client: server, server: client}
        with selectors.DefaultSelector() as selector:
            try:
                # cut() may close the sockets before this thread gets to them (a busy machine): then the
                # connection is over before it began, and the finally below tidies up.
                for sock in peers:
                    sock.settimeout(None)
                    selector.register(sock, selectors.EVENT_READ)
                while not self._cut:
                    for key, _mask in selector.select(timeout=0.1):
                        data = key.fileobj.recv(65536)
                        if not data:
                            return
                        peers[key.fileobj].sendall(data)
            except (OSError, ValueError):  # closed by cut() while waiting: the connection is over
                return
            finally:
                for sock in peers:
                    try:
                        selector.unregister(sock)
                    except (KeyError, ValueError, OSError):
                        pass
                with self._lock:
                    self._open.difference_update(peers)
                for sock in peers:
                    _close(sock)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
