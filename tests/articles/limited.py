"""What an answer looks like when a rate limit holds: shared by the comment, report and appeal
limits' tests."""


def assert_limited(response) -> int:
    """Assert a 429 page that says nothing was saved and how long to wait; returns the wait."""
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many requests" in page
    assert "Nothing was saved." in page
    seconds = int(response["Retry-After"])
    assert seconds >= 1
    assert f"Please wait {seconds} second" in page or "minute" in page
    return seconds
