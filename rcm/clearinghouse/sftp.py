"""SFTP transport: drop 837 files in the clearinghouse's outbox, collect replies from its inbox."""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import io
import posixpath
import socket
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import paramiko  # type: ignore[import-untyped]

from rcm.clearinghouse.gateway import (
    INBOUND_HEAD_BYTES,
    InboundFile,
    OutboundFile,
    SubmitReceipt,
    TransportError,
    inbound_max_bytes,
)

PART_SUFFIX = ".part"
_KEY_CLASSES = (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey)


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def parse_host_key(text: str) -> bytes:
    """The key blob of "ssh-ed25519 AAAA… [comment]", a known_hosts line or bare base64."""
    tokens = text.split()
    candidates = [tokens[i + 1] for i in range(len(tokens) - 1) if _is_key_type(tokens[i])]
    candidates += [t for t in tokens if not _is_key_type(t)]
    for token in candidates:
        try:
            blob = base64.b64decode(token, validate=True)
        except (binascii.Error, ValueError):
            continue
        if _blob_type(blob):
            return blob
    raise ValueError("known_host_key is not an SSH public key (expected 'ssh-ed25519 AAAA…').")


def _is_key_type(token: str) -> bool:
    return token.startswith(("ssh-", "ecdsa-", "sk-"))


def _blob_type(blob: bytes) -> str | None:
    """The key type named at the start of a public key blob, or None if it is not one."""
    if len(blob) < 4:
        return None
    length = int.from_bytes(blob[:4], "big")
    name = blob[4 : 4 + length]
    if length == 0 or len(name) != length or not name.isascii():
        return None
    decoded = name.decode("ascii")
    return decoded if _is_key_type(decoded) else None


def load_private_key(text: str, passphrase: str | None = None) -> Any:
    """A paramiko key from PEM / OpenSSH private key text (Ed25519, ECDSA or RSA)."""
    for key_class in _KEY_CLASSES:
        try:
            return key_class.from_private_key(io.StringIO(text), password=passphrase)
        except (paramiko.SSHException, ValueError, TypeError):
            continue
    raise TransportError("The configured SFTP private key could not be read (Ed25519/ECDSA/RSA).")


def _check_name(name: str) -> str:
    if not name or "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
        raise ValueError(f"Invalid file name for the clearinghouse: {name!r}.")
    return name


class SftpTransport:
    """Files over SFTP to a clearinghouse's outbox/inbox; no real-time channel."""

    name = "sftp"

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = str(config.get("host") or "")
        if not self.host:
            raise TransportError("SFTP transport: 'host' is required.")
        self.port = int(_number(config, "port", 22))
        self.username = str(config.get("username") or "")
        if not self.username:
            raise TransportError(f"SFTP transport for {self.host}: 'username' is required.")
        self.password: str | None = config.get("password") or None
        self.passphrase: str | None = config.get("private_key_passphrase") or None
        key_text = self._read_private_key(config)
        self._private_key = (
            None if key_text is None else load_private_key(key_text, self.passphrase)
        )
        if self.password is None and self._private_key is None:
            raise TransportError(
                f"SFTP transport for {self.host}: set 'password' or 'private_key' / "
                "'private_key_path'."
            )
        self.insecure_skip_host_key = _flag(config.get("insecure_skip_host_key"))
        self.known_host_key = self._read_host_key(config)
        self.outbox_dir = str(config.get("outbox_dir") or "/outbox")
        self.inbox_dir = str(config.get("inbox_dir") or "/inbox")
        self.archive_dir: str | None = config.get("archive_dir") or None
        self.timeout = _number(config, "timeout", 30)

    def _read_private_key(self, config: Mapping[str, Any]) -> str | None:
        if config.get("private_key"):
            return str(config["private_key"])
        if config.get("private_key_path"):
            path = Path(str(config["private_key_path"])).expanduser()
            try:
                return path.read_text()
            except OSError as exc:
                raise TransportError(
                    f"SFTP transport for {self.host}: cannot read private_key_path {path}: "
                    f"{exc.strerror or exc}."
                ) from None
        return None

    def _read_host_key(self, config: Mapping[str, Any]) -> bytes | None:
        text = config.get("known_host_key")
        if not text:
            if self.insecure_skip_host_key:
                return None
            raise TransportError(
                f"SFTP transport for {self.host}: 'known_host_key' (the server's public key, "
                "e.g. 'ssh-ed25519 AAAA…') is required, so that files are never sent to an "
                "impostor."
            )
        try:
            return parse_host_key(str(text))
        except ValueError as exc:
            raise TransportError(f"SFTP transport for {self.host}: {exc}") from None

    @property
    def _where(self) -> str:
        return f"{self.username}@{self.host}:{self.port}"

    # -- the Transport protocol -------------------------------------------------------------

    def submit(self, file: OutboundFile) -> SubmitReceipt:
        name = _check_name(file.name)
        final = posixpath.join(self.outbox_dir, name)
        with self._session("submit " + name) as sftp:
            if not _exists(sftp, final):
                part = final + PART_SUFFIX
                sftp.putfo(io.BytesIO(file.content), part, file_size=len(file.content))
                sftp.rename(part, final)
        return SubmitReceipt(
            reference=name, submitted_at=_utcnow(), details={"path": final, "host": self.host}
        )

    def fetch(self) -> list[InboundFile]:
        files: list[InboundFile] = []
        with self._session("fetch from " + self.inbox_dir) as sftp:
            for attr in sorted(sftp.listdir_attr(self.inbox_dir), key=lambda a: a.filename):
                name = attr.filename
                if name.endswith(PART_SUFFIX) or attr.st_mode is None:
                    continue
                if not stat.S_ISREG(attr.st_mode):
                    continue
                size = attr.st_size or 0
                over = size > inbound_max_bytes()
                with sftp.open(posixpath.join(self.inbox_dir, name), "rb") as remote:
                    # Over the limit: only the head, for the inbox to quarantine by its size;
                    # the rest is never downloaded.
                    content = remote.read(INBOUND_HEAD_BYTES) if over else remote.read()
                files.append(InboundFile(name, content, _mtime(attr), size=size if over else None))
        return files

    def acknowledge(self, names: list[str]) -> None:
        if not names:
            return
        checked = [_check_name(n) for n in names]
        with self._session("acknowledge") as sftp:
            if self.archive_dir is not None and not _exists(sftp, self.archive_dir):
                sftp.mkdir(self.archive_dir)
            for name in checked:
                self._acknowledge_one(sftp, name)

    def _acknowledge_one(self, sftp: Any, name: str) -> None:
        source = posixpath.join(self.inbox_dir, name)
        if not _exists(sftp, source):
            return
        if self.archive_dir is None:
            with contextlib.suppress(FileNotFoundError):
                sftp.remove(source)
            return
        target = posixpath.join(self.archive_dir, name)
        if _exists(sftp, target):
            sftp.remove(target)  # a re-delivered file replaces its older archived copy
        with contextlib.suppress(FileNotFoundError):
            sftp.rename(source, target)

    def eligibility(self, request_270: bytes) -> bytes:
        raise TransportError(self._no_real_time("eligibility (270/271)"))

    def claim_status(self, request_276: bytes) -> bytes:
        raise TransportError(self._no_real_time("claim status (276/277)"))

    def _no_real_time(self, what: str) -> str:
        return (
            f"Real-time {what} is not available over SFTP ({self.host}): SFTP only moves batch "
            "files. Real-time 270/276 needs the sandbox transport or a real-time API transport."
        )

    # -- connection ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _session(self, operation: str) -> Iterator[Any]:
        """An authenticated SFTP session, closed afterwards; any failure becomes TransportError."""
        ssh = self._connect()
        try:
            sftp = paramiko.SFTPClient.from_transport(ssh)
            if sftp is None:
                raise TransportError(f"SFTP server {self._where} refused the SFTP subsystem.")
            sftp.get_channel().settimeout(self.timeout)
            with sftp:
                yield sftp
        except TransportError:
            raise
        except TimeoutError:
            raise TransportError(
                f"SFTP {operation} on {self._where} timed out after {self.timeout:g} s."
            ) from None
        except (OSError, EOFError, paramiko.SSHException) as exc:
            raise TransportError(
                f"SFTP {operation} on {self._where} failed: {_describe(exc)}"
            ) from None
        finally:
            ssh.close()

    def _connect(self) -> Any:
        """Open TCP, negotiate SSH, verify the host key, authenticate — or raise TransportError."""
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError:
            raise TransportError(
                f"Cannot connect to SFTP server {self.host}:{self.port}: timed out after "
                f"{self.timeout:g} s."
            ) from None
        except OSError as exc:
            raise TransportError(
                f"Cannot connect to SFTP server {self.host}:{self.port}: {_describe(exc)}"
            ) from None
        ssh = paramiko.Transport(sock)
        ssh.banner_timeout = ssh.auth_timeout = ssh.handshake_timeout = self.timeout
        try:
            self._handshake(ssh)
        except BaseException:
            ssh.close()
            raise
        return ssh

    def _handshake(self, ssh: Any) -> None:
        try:
            ssh.start_client(timeout=self.timeout)
            if not ssh.is_active() or not ssh.initial_kex_done:  # start_client gave up waiting
                raise TimeoutError
            server_key = ssh.get_remote_server_key()
        except (OSError, EOFError, paramiko.SSHException) as exc:
            raise TransportError(
                f"SSH handshake with SFTP server {self.host}:{self.port} failed: {_describe(exc)}"
            ) from None
        self._verify_host_key(server_key)
        try:
            if self._private_key is not None:
                ssh.auth_publickey(self.username, self._private_key)
            else:
                ssh.auth_password(self.username, self.password)
        except paramiko.AuthenticationException:
            raise TransportError(
                f"SFTP authentication failed for {self._where}: the server refused the "
                "username/password or key."
            ) from None
        except (OSError, EOFError, paramiko.SSHException) as exc:
            raise TransportError(
                f"SFTP authentication with {self._where} failed: {_describe(exc)}"
            ) from None

    def _verify_host_key(self, key: Any) -> None:
        if self.known_host_key is None:  # insecure_skip_host_key, tests only
            return
        if key.asbytes() != self.known_host_key:
            raise TransportError(
                f"Host key mismatch for SFTP server {self.host}:{self.port}: it presented "
                f"{key.get_name()} {key.fingerprint}, which is not the configured known_host_key. "
                "Refusing to connect (the server may be an impostor, or its key changed)."
            )


def _number(config: Mapping[str, Any], key: str, default: float) -> float:
    value = config.get(key)
    if value in (None, ""):
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TransportError(f"SFTP transport: {key} must be a number, not {value!r}.") from None


def _flag(value: Any) -> bool:
    """True only for True or "true"/"yes"/"1": the string "false" from a config must not count."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return value is True


def _exists(sftp: Any, path: str) -> bool:
    try:
        sftp.stat(path)
    except FileNotFoundError:
        return False
    return True


def _mtime(attr: Any) -> datetime.datetime:
    if attr.st_mtime is None:
        return _utcnow()
    return datetime.datetime.fromtimestamp(attr.st_mtime, tz=datetime.UTC)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server up and the port right?)."
    if isinstance(exc, socket.gaierror):
        return f"host name not found ({exc.strerror})."
    if isinstance(exc, TimeoutError):
        return "timed out."
    if isinstance(exc, OSError) and exc.strerror:
        filename = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{filename}."
    text = str(exc) or type(exc).__name__
    return text if text.endswith(".") else text + "."
