"""The SFTP transport against a real SFTP server on loopback."""

from __future__ import annotations

import datetime
import os
import socket

import pytest

from rcm.clearinghouse.gateway import (
    INBOUND_HEAD_BYTES,
    OutboundFile,
    TransportError,
    get_transport,
)
from rcm.clearinghouse.sftp import SftpTransport, parse_host_key
from tests.clearinghouse.sftp_server import SftpTestServer, new_ed25519_key, public_key_line

BATCH = b"ISA*00*          *00*          *ZZ*SUBMITTER~IEA*1*000000001~"


@pytest.fixture
def server():
    srv = SftpTestServer()
    yield srv
    srv.stop()


def config_for(server: SftpTestServer, **overrides) -> dict:
    config = {
        "host": server.host,
        "port": server.port,
        "username": server.username,
        "password": server.password,
        "known_host_key": server.host_key_line,
        "timeout": 5,
    }
    config.update(overrides)
    return config


@pytest.fixture
def transport(server):
    return SftpTransport(config_for(server))


def put_inbox(server: SftpTestServer, name: str, content: bytes, mtime: int = 1_700_000_000):
    path = server.path("inbox", name)
    path.write_bytes(content)
    os.utime(path, (mtime, mtime))


def test_submit_uploads_exact_bytes_and_leaves_no_part_file(server, transport):
    receipt = transport.submit(OutboundFile(name="batch-0001.837", content=BATCH))

    assert server.path("outbox", "batch-0001.837").read_bytes() == BATCH
    assert sorted(os.listdir(server.path("outbox"))) == ["batch-0001.837"]
    assert receipt.reference == "batch-0001.837"
    assert receipt.submitted_at.tzinfo is not None
    age = datetime.datetime.now(datetime.UTC) - receipt.submitted_at
    assert abs(age.total_seconds()) < 60


def test_submitting_twice_uploads_once(server, transport):
    transport.submit(OutboundFile(name="batch-0002.837", content=BATCH))
    target = server.path("outbox", "batch-0002.837")
    os.utime(target, (1_000_000_000, 1_000_000_000))

    receipt = transport.submit(OutboundFile(name="batch-0002.837", content=b"different bytes"))

    assert receipt.reference == "batch-0002.837"
    assert target.read_bytes() == BATCH
    assert target.stat().st_mtime == 1_000_000_000
    assert os.listdir(server.path("outbox")) == ["batch-0002.837"]


def test_submit_rejects_a_name_with_a_path(transport):
    with pytest.raises(ValueError, match="Invalid file name"):
        transport.submit(OutboundFile(name="../etc/passwd", content=BATCH))


def test_fetch_returns_inbox_files_sorted_with_contents_and_mtime(server, transport):
    put_inbox(server, "b.835", b"ERA", mtime=1_700_000_100)
    put_inbox(server, "a.999", b"ACK", mtime=1_700_000_000)

    files = transport.fetch()

    assert [(f.name, f.content) for f in files] == [("a.999", b"ACK"), ("b.835", b"ERA")]
    assert files[0].received_at == datetime.datetime.fromtimestamp(1_700_000_000, datetime.UTC)
    assert files[1].received_at.tzinfo is not None


def test_fetch_skips_part_files_and_directories(server, transport):
    put_inbox(server, "done.277", b"277CA")
    put_inbox(server, "arriving.835.part", b"half")
    server.path("inbox", "subdir").mkdir()

    assert [f.name for f in transport.fetch()] == ["done.277"]


def test_fetch_of_an_empty_inbox_is_empty(transport):
    assert transport.fetch() == []


def test_acknowledge_moves_files_to_the_archive(server):
    transport = SftpTransport(config_for(server, archive_dir="/archive"))
    put_inbox(server, "a.999", b"ACK")
    put_inbox(server, "b.835", b"ERA")

    transport.acknowledge(["a.999", "missing.835"])

    assert [f.name for f in transport.fetch()] == ["b.835"]
    assert server.path("archive", "a.999").read_bytes() == b"ACK"
    transport.acknowledge(["a.999"])  # idempotent
    assert server.path("archive", "a.999").read_bytes() == b"ACK"


def test_acknowledge_replaces_an_older_archived_copy(server):
    transport = SftpTransport(config_for(server, archive_dir="/archive"))
    server.path("archive").mkdir()
    server.path("archive", "a.999").write_bytes(b"old")
    put_inbox(server, "a.999", b"new")

    transport.acknowledge(["a.999"])

    assert server.path("archive", "a.999").read_bytes() == b"new"
    assert transport.fetch() == []


def test_acknowledge_without_archive_deletes(server, transport):
    put_inbox(server, "a.999", b"ACK")

    transport.acknowledge(["a.999", "never-there.277"])

    assert transport.fetch() == []
    assert os.listdir(server.path("inbox")) == []
    transport.acknowledge(["a.999"])


def test_private_key_authentication(server):
    key, text = new_ed25519_key()
    server.authorized_key = key
    transport = SftpTransport(config_for(server, password=None, private_key=text))

    transport.submit(OutboundFile(name="k.837", content=BATCH))

    assert server.path("outbox", "k.837").read_bytes() == BATCH


def test_private_key_path(server, tmp_path):
    key, text = new_ed25519_key()
    server.authorized_key = key
    (tmp_path / "id_ed25519").write_text(text)
    config = config_for(server, password=None, private_key_path=str(tmp_path / "id_ed25519"))

    assert SftpTransport(config).fetch() == []


def test_wrong_password_is_an_authentication_error(server):
    transport = SftpTransport(config_for(server, password="wrong"))

    with pytest.raises(TransportError, match="authentication failed") as info:
        transport.fetch()
    assert server.host in str(info.value)


def test_wrong_host_key_is_refused_before_authenticating(server):
    other, _ = new_ed25519_key()
    transport = SftpTransport(config_for(server, known_host_key=public_key_line(other)))

    with pytest.raises(TransportError, match="Host key mismatch"):
        transport.submit(OutboundFile(name="x.837", content=BATCH))
    assert os.listdir(server.path("outbox")) == []


def test_host_key_is_required_unless_explicitly_skipped(server):
    with pytest.raises(TransportError, match="known_host_key"):
        SftpTransport(config_for(server, known_host_key=None))
    with pytest.raises(TransportError, match="known_host_key"):
        SftpTransport(config_for(server, known_host_key="", insecure_skip_host_key="false"))
    insecure = SftpTransport(config_for(server, known_host_key=None, insecure_skip_host_key=True))
    assert insecure.fetch() == []


def test_host_key_forms_are_accepted(server):
    blob = server.host_key.asbytes()
    b64 = server.host_key.get_base64()
    assert parse_host_key(b64) == blob
    assert parse_host_key(server.host_key_line + " comment") == blob
    assert parse_host_key(f"[127.0.0.1]:2222 {server.host_key_line}") == blob
    with pytest.raises(TransportError, match="not an SSH public key"):
        SftpTransport(config_for(server, known_host_key="not a key"))


def test_connection_refused_is_a_transport_error(server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    transport = SftpTransport(config_for(server, port=closed_port))

    with pytest.raises(TransportError, match=f"127.0.0.1:{closed_port}.*refused"):
        transport.fetch()


def test_silent_server_times_out():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        transport = SftpTransport(
            {
                "host": "127.0.0.1",
                "port": port,
                "username": "u",
                "password": "p",
                "insecure_skip_host_key": True,
                "timeout": 0.5,
            }
        )
        with pytest.raises(TransportError, match=f"127.0.0.1:{port}"):
            transport.fetch()


def test_missing_inbox_is_a_transport_error(server, transport):
    server.path("inbox").rmdir()

    with pytest.raises(TransportError, match="fetch from /inbox"):
        transport.fetch()


def test_get_transport_builds_sftp(server):
    transport = get_transport("sftp", config_for(server))

    assert isinstance(transport, SftpTransport)
    assert transport.name == "sftp"


def test_real_time_transactions_are_not_available(transport):
    with pytest.raises(TransportError, match="real-time API transport"):
        transport.eligibility(b"ST*270*0001~")
    with pytest.raises(TransportError, match="sandbox"):
        transport.claim_status(b"ST*276*0001~")


def test_configuration_requires_host_user_and_credentials():
    with pytest.raises(TransportError, match="'host'"):
        SftpTransport({})
    with pytest.raises(TransportError, match="'username'"):
        SftpTransport({"host": "sftp.example.test"})
    with pytest.raises(TransportError, match="'password' or 'private_key'"):
        SftpTransport({"host": "sftp.example.test", "username": "u"})
    with pytest.raises(TransportError, match="port must be a number"):
        SftpTransport({"host": "h", "username": "u", "password": "p", "port": "twenty-two"})
    with pytest.raises(TransportError, match="private key could not be read"):
        SftpTransport({"host": "h", "username": "u", "private_key": "garbage"})


def test_fetch_downloads_only_the_head_of_a_file_over_the_limit(server, transport, settings):
    settings.RCM_INBOUND_MAX_BYTES = 100_000
    put_inbox(server, "big.835", b"ISA" + b"x" * 200_000)
    put_inbox(server, "small.999", b"y" * 100_000)

    big, small = sorted(transport.fetch(), key=lambda f: f.name)

    assert (len(big.content), big.size, big.full_size) == (INBOUND_HEAD_BYTES, 200_003, 200_003)
    assert big.content == b"ISA" + b"x" * (INBOUND_HEAD_BYTES - 3)
    assert (len(small.content), small.size, small.full_size) == (100_000, None, 100_000)
