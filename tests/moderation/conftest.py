"""Fixtures the moderation tests share."""

import random

import pytest

from moderation.review import audit_sample


@pytest.fixture
def drawing(monkeypatch):
    """The audit sample draws with a seeded generator, instead of never."""
    monkeypatch.setattr(audit_sample, "_rng", random.Random(7))
