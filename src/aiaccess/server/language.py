"""``/language/{code}``: the language switcher's target.

It remembers the reader's choice of chrome language in a cookie and sends the
reader back to the page they came from (a local path only: never elsewhere).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from aiaccess.server.chrome import COOKIE, LANGUAGES
from aiaccess.server.errors import method_not_allowed, not_found

METHODS = ("GET", "HEAD")
A_YEAR = 365 * 24 * 3600


def local(target: str | None) -> str:
    """Return ``target`` if it is a path on this server, else ``/``.

    >>> local("/id/org/openai"), local("//evil.example/"), local("https://x.example/")
    ('/id/org/openai', '/', '/')
    """
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


async def switch(request: Request) -> Response:
    """Answer ``/language/{code}?next=/path``: 303 back to the page, with the choice kept.

    :raises HttpError: 404 for a language the chrome is not written in.
    """
    if request.method not in METHODS:
        raise method_not_allowed(request.method, METHODS)
    code = request.path_params["code"]
    if code not in LANGUAGES:
        raise not_found(f"no pages in language {code!r}; available: {', '.join(LANGUAGES)}")
    response = RedirectResponse(local(request.query_params.get("next")), status_code=303)
    response.set_cookie(COOKIE, code, max_age=A_YEAR, samesite="lax")
    return response
