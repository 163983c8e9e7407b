"""``aiaccess serve --access-log``: one line per request on standard output; none without it."""

from __future__ import annotations

import httpx

from tests.server.test_serve_command import serve

TURTLE = {"Accept": "text/turtle"}


def test_access_log_has_a_line_per_request() -> None:
    with serve("--access-log") as (process, url):
        assert httpx.get(url + "id/org/openai", headers=TURTLE).status_code == 200
        assert httpx.get(url + "id/org/nobody").status_code == 404
        process.terminate()
        out, _ = process.communicate(timeout=30)
    assert '"GET /id/org/openai HTTP/1.1" 200' in out
    assert '"GET /id/org/nobody HTTP/1.1" 404' in out


def test_no_access_log_unless_asked() -> None:
    with serve() as (process, url):
        assert httpx.get(url + "id/org/openai", headers=TURTLE).status_code == 200
        process.terminate()
        out, _ = process.communicate(timeout=30)
    assert "GET /id/org/openai" not in out
