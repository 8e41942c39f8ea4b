"""A TCP proxy the tests control: the database seen through it can go away and come back.

`down()` cuts every open connection and refuses new ones (a stopped or crashed server);
`cut()` closes the open connections only (a restart between requests); `black_hole()` keeps
every connection open, and accepts new ones, but forwards no byte either way (a server stopped
with SIGSTOP, or a network that drops packets: nothing is refused or closed, nothing answers)
until `thaw()` forwards again what was held and what comes, on the same connections;
`silent()` accepts connections and never answers, and never will (a host that drops packets);
`up()` forwards again, on the same port.
"""

import contextlib
import select
import socket
import threading
from types import TracebackType
from typing import Self


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class TcpProxy:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._stop = threading.Event()
        self._accepting: threading.Thread | None = None
        self._forwarding = threading.Event()
        self._forwarding.set()
        self._answer = True

    def __enter__(self) -> Self:
        self.up()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop_listening()
        self.cut()

    # --- control ---------------------------------------------------------------------------

    def up(self) -> None:
        """Accept and forward (again), on the same port as before."""
        self._stop_listening()
        self._answer = True
        self._forwarding.set()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stop = threading.Event()
        self._accepting = threading.Thread(
            target=self._accept, args=(listener, self._stop), daemon=True
        )
        self._accepting.start()

    def down(self) -> None:
        """Refuse new connections and cut the open ones."""
        self._stop_listening()
        self.cut()

    def cut(self) -> None:
        """Close every open connection, on both sides."""
        with self._lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            _close(sock)
        self._forwarding.set()

    def black_hole(self) -> None:
        """Forward nothing on any connection, open or new, and close none (until `thaw`,
        `cut`, `down` or `up`)."""
        self._forwarding.clear()

    def thaw(self) -> None:
        """Forward again on the connections that the black hole held open."""
        self._forwarding.set()

    def silent(self) -> None:
        """Cut the open connections; accept new ones but never forward a byte on them."""
        self._answer = False
        self.cut()

    # --- plumbing --------------------------------------------------------------------------

    def _stop_listening(self) -> None:
        self._stop.set()
        if self._accepting is not None:
            self._accepting.join(5)
            self._accepting = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _accept(self, listener: socket.socket, stop: threading.Event) -> None:
        while not stop.is_set():
            ready, _, _ = select.select([listener], [], [], 0.02)
            if not ready:
                continue
            client, _ = listener.accept()
            with self._lock:
                self._open.add(client)
            if not self._answer:
                continue  # held open, never answered
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open.add(upstream)
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                self._forwarding.wait()
                with self._lock:
                    if src not in self._open:
                        break
                dst.sendall(data)
        except OSError:
            pass
        _close(src)
        _close(dst)
