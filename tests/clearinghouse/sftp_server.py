"""A real SFTP server for tests: paramiko's server API over a temporary directory, on loopback."""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import socket
import tempfile
import threading
from pathlib import Path

import paramiko  # type: ignore[import-untyped]
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

_errno_status = paramiko.SFTPServer.convert_errno


def new_ed25519_key() -> tuple[paramiko.Ed25519Key, str]:
    """A fresh Ed25519 key: the paramiko key and its OpenSSH private key text."""
    text = (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )
    return paramiko.Ed25519Key.from_private_key(io.StringIO(text)), text


def public_key_line(key: paramiko.PKey) -> str:
    """The "ssh-ed25519 AAAA…" line of a key, as in known_hosts or authorized_keys."""
    return f"{key.get_name()} {key.get_base64()}"


class _Auth(paramiko.ServerInterface):
    """Accepts one username with its password or its public key; only SFTP sessions."""

    def __init__(self, server: SftpTestServer) -> None:
        self.server = server

    def get_allowed_auths(self, username):
        return "password,publickey"

    def check_auth_password(self, username, password):
        ok = username == self.server.username and password == self.server.password
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_auth_publickey(self, username, key):
        allowed = self.server.authorized_key
        ok = username == self.server.username and allowed is not None and key == allowed
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    """An open file: paramiko reads `readfile` and writes `writefile`."""

    def stat(self):
        try:
            return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))
        except OSError as exc:
            return _errno_status(exc.errno)


class _DirectorySftp(paramiko.SFTPServerInterface):
    """SFTP operations on a local directory that the client sees as "/"."""

    def __init__(self, server: _Auth, *args, **kwargs) -> None:
        super().__init__(server, *args, **kwargs)
        self.root = server.server.root

    def _real(self, path: str) -> str:
        clean = posixpath.normpath("/" + path).lstrip("/")
        return os.path.join(self.root, clean)

    def canonicalize(self, path):
        return posixpath.normpath("/" + path)

    def list_folder(self, path):
        real = self._real(path)
        try:
            entries = []
            for name in os.listdir(real):
                attr = paramiko.SFTPAttributes.from_stat(os.lstat(os.path.join(real, name)))
                attr.filename = name
                entries.append(attr)
        except OSError as exc:
            return _errno_status(exc.errno)
        return entries

    def stat(self, path):
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._real(path)))
        except OSError as exc:
            return _errno_status(exc.errno)

    def lstat(self, path):
        try:
            return paramiko.SFTPAttributes.from_stat(os.lstat(self._real(path)))
        except OSError as exc:
            return _errno_status(exc.errno)

    def open(self, path, flags, attr):
        real = self._real(path)
        try:
            fd = os.open(real, flags | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exc:
            return _errno_status(exc.errno)
        if flags & os.O_WRONLY:
            mode = "ab" if flags & os.O_APPEND else "wb"
        elif flags & os.O_RDWR:
            mode = "a+b" if flags & os.O_APPEND else "r+b"
        else:
            mode = "rb"
        handle = _Handle(flags)
        handle.filename = real
        handle.readfile = handle.writefile = os.fdopen(fd, mode)
        return handle

    def remove(self, path):
        return self._call(os.remove, self._real(path))

    def rename(self, oldpath, newpath):
        # SFTP v3 rename does not overwrite, as on real servers.
        if os.path.exists(self._real(newpath)):
            return paramiko.SFTP_FAILURE
        return self._call(os.rename, self._real(oldpath), self._real(newpath))

    def posix_rename(self, oldpath, newpath):
        return self._call(os.rename, self._real(oldpath), self._real(newpath))

    def mkdir(self, path, attr):
        return self._call(os.mkdir, self._real(path))

    def rmdir(self, path):
        return self._call(os.rmdir, self._real(path))

    def chattr(self, path, attr):
        return paramiko.SFTP_OK

    @staticmethod
    def _call(function, *args):
        try:
            function(*args)
        except OSError as exc:
            return _errno_status(exc.errno)
        return paramiko.SFTP_OK


class SftpTestServer:
    """SFTP on 127.0.0.1:<ephemeral> serving `root` (a temporary directory) until `stop()`."""

    def __init__(self, username: str = "clearinghouse", password: str = "s3cret") -> None:
        self.username = username
        self.password = password
        self.authorized_key: paramiko.PKey | None = None
        self.host_key, _ = new_ed25519_key()
        self._tmp = tempfile.TemporaryDirectory(prefix="sftp-test-")
        self.root = self._tmp.name
        for name in ("outbox", "inbox"):
            os.mkdir(os.path.join(self.root, name))
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._listener.settimeout(0.1)
        self.host, self.port = self._listener.getsockname()
        self._stopping = threading.Event()
        self._transports: list[paramiko.Transport] = []
        self._thread = threading.Thread(target=self._serve, name="sftp-test-server", daemon=True)
        self._thread.start()

    def path(self, *parts: str) -> Path:
        """A path inside the served directory, e.g. path("inbox", "x.835")."""
        return Path(self.root, *parts)

    @property
    def host_key_line(self) -> str:
        return public_key_line(self.host_key)

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            transport = paramiko.Transport(conn)
            transport.add_server_key(self.host_key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _DirectorySftp)
            self._transports.append(transport)
            with contextlib.suppress(paramiko.SSHException, EOFError, OSError):
                transport.start_server(server=_Auth(self))

    def stop(self) -> None:
        """Stop accepting, close every connection, remove the directory."""
        self._stopping.set()
        self._thread.join(timeout=5)
        self._listener.close()
        for transport in self._transports:
            transport.close()
        self._tmp.cleanup()

    def __enter__(self) -> SftpTestServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
