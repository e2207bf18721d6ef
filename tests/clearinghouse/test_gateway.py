"""The gateway names its transports in one table and imports each only when it is asked for."""

from __future__ import annotations

import pytest

from rcm.clearinghouse import gateway


def test_the_transports_are_named_in_one_table():
    assert gateway.transport_names() == ["sandbox", "sftp"]


def test_an_unknown_transport_is_refused_in_words():
    with pytest.raises(gateway.TransportError, match=r"'carrier-pigeon' \(known: sandbox, sftp\)"):
        gateway.get_transport("carrier-pigeon", {})


def test_each_factory_is_found_by_name():
    from rcm.clearinghouse.sandbox import create_transport
    from rcm.clearinghouse.sftp import SftpTransport

    assert gateway.transport_factory("sandbox") is create_transport
    assert gateway.transport_factory("sftp") is SftpTransport
