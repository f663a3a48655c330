"""Tests that get a database are marked `pg` by tests/conftest.py, the others are not:
`make test` runs only the marked ones again on PostgreSQL (`-m pg`)."""

from __future__ import annotations

import pytest


def test_a_test_with_its_own_database_is_marked(
        new_database_url: str, request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("pg") is not None


@pytest.mark.usefixtures("engine")  # the answer engine over `db`, a copy from `databases`
def test_a_test_whose_fixture_needs_a_database_is_marked(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("pg") is not None


def test_a_test_without_a_database_is_not_marked(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("pg") is None
