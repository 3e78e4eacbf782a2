"""Response checks for scenarios: a benchmark must never time an error page or an empty result.

Each returns a callable(response) that raises AssertionError with the URL and what was wrong.
"""


def ok(contains=None, content_type=None, status=200):
    def check(response):
        url = getattr(response, "request", {}).get("PATH_INFO", "?")
        assert response.status_code == status, f"{url}: HTTP {response.status_code}, expected {status}"
        if content_type:
            got = response.get("Content-Type", "")
            assert got.startswith(content_type), f"{url}: Content-Type {got!r}, expected {content_type}"
        if contains:
            body = response.content
            for text in [contains] if isinstance(contains, str | bytes) else contains:
                needle = text.encode() if isinstance(text, str) else text
                assert needle in body, f"{url}: {text!r} not in the response"

    return check
