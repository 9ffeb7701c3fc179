"""Fixtures for the emulator's tests: running emulators on loopback, an HTTP client, the contract.

Every test talks to a real server over real sockets with httpx (no mocked transport).
"""

from __future__ import annotations

import json

import pytest

from .support import CONTRACT_PATH, Api, Contract, make_emulator


@pytest.fixture(scope="module")
def emu():
    """A read-only emulator for a whole module (tests must not change its data)."""
    with make_emulator() as running:
        yield running


@pytest.fixture(scope="module")
def api(emu):
    client = Api(emu)
    yield client
    client.close()


@pytest.fixture
def fresh():
    """An emulator of its own for a test that changes data or moves the clock."""
    with make_emulator(recordings=60) as running:
        yield running


@pytest.fixture
def fresh_api(fresh):
    client = Api(fresh)
    yield client
    client.close()


@pytest.fixture(scope="session")
def contract() -> Contract:
    return Contract(json.loads(CONTRACT_PATH.read_text()))
