"""The rule for tests that need a real service (Chromium, PostgreSQL, Redis)."""

import os

import pytest


def service_missing(name: str, reason: str) -> None:
    """Skip on a laptop without the service, but fail under CI, where it must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is required under CI=true: {reason}")
    pytest.skip(f"{name} is not available: {reason}")
