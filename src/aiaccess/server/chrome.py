"""The page chrome in the reader's language: which language, and its words.

The chrome (navigation, headings, footer) is written in English and translated
into the languages of the sources (:data:`LANGUAGES`) in ``chrome.toml``, one
table per English message. The reader's choice from the language switcher is
kept in a cookie (:data:`COOKIE`); without one, ``Accept-Language`` decides,
and English is the fallback. Data (names, quotes) keeps its own language: the
templates tag it where it is shown.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from starlette.requests import HTTPConnection

from aiaccess.server.negotiation import languages

LANGUAGES: dict[str, str] = {
    "en": "English",
    "he": "עברית",
    "zh": "中文",
    "fr": "Français",
    "vi": "Tiếng Việt",
}
"""The languages of the chrome, each with its name in itself, in the switcher's order."""

RIGHT_TO_LEFT = frozenset({"he", "ar", "fa", "ur", "yi"})
"""Languages written right to left (a page or a quote in one gets ``dir="rtl"``)."""

COOKIE = "lang"
"""The cookie holding the reader's choice of chrome language."""

MESSAGES = Path(__file__).with_name("chrome.toml")
"""The translations of the chrome's English messages."""


def direction(language: str | None) -> str:
    """Return the writing direction of ``language``: ``"rtl"`` or ``"ltr"``.

    >>> direction("he"), direction("zh-Hans"), direction(None)
    ('rtl', 'ltr', 'ltr')
    """
    return "rtl" if (language or "").split("-")[0].lower() in RIGHT_TO_LEFT else "ltr"


def reader_languages(connection: HTTPConnection) -> tuple[str, ...]:
    """Return the reader's languages, preferred first: the switcher's choice, then
    ``Accept-Language``."""
    chosen = connection.cookies.get(COOKIE, "")
    accepted = languages(connection.headers.get("accept-language"))
    first = (chosen,) if chosen in LANGUAGES else ()
    return tuple(dict.fromkeys((*first, *accepted)))


def chrome_language(readers: tuple[str, ...]) -> str:
    """Return the first of the reader's languages the chrome is written in, else English.

    >>> chrome_language(("de", "fr", "en"))
    'fr'
    >>> chrome_language(("de",))
    'en'
    """
    return next((lang for lang in readers if lang in LANGUAGES), "en")


@functools.cache
def catalog() -> dict[str, dict[str, str]]:
    """Return the translations: for each English message, its text by language."""
    with MESSAGES.open("rb") as file:
        return tomllib.load(file)


def translator(language: str) -> Callable[[str], str]:
    """Return the function translating an English message into ``language`` (``gettext``).

    A message without a translation stays in English.

    >>> translator("fr")("Skip to content")
    'Aller au contenu'
    """
    table = catalog()

    def gettext(message: str) -> str:
        return table.get(message, {}).get(language, message)

    return gettext


@dataclass(frozen=True)
class Switch:
    """One entry of the language switcher."""

    code: str
    name: str
    href: str
    current: bool

    @property
    def dir(self) -> str:
        """Return the writing direction of the entry's name."""
        return direction(self.code)


def switcher(language: str, path: str) -> list[Switch]:
    """Return the language switcher of the page at ``path``, shown in ``language``.

    :param path: the page's path and query string, where the switch comes back to.

    >>> [s.href for s in switcher("en", "/id/org/openai")][1]
    '/language/he?next=%2Fid%2Forg%2Fopenai'
    """
    back = urlencode({"next": path})
    return [
        Switch(code, name, f"/language/{code}?{back}", code == language)
        for code, name in LANGUAGES.items()
    ]


@dataclass(frozen=True)
class NavItem:
    """One link of the site navigation; ``label`` is an English message."""

    label: str
    href: str
    current: bool = False


NAV: tuple[tuple[str, str], ...] = (
    ("SPARQL", "/sparql"),
    ("Queries", "/queries"),
    ("Ontology", "/ontology"),
    ("Downloads", "/#downloads"),
)
"""The site navigation after the home link: English message and target."""


@dataclass(frozen=True)
class Chrome:
    """What the layout (``base.html``) needs: the chrome's language and its links."""

    lang: str
    dir: str
    csp: str
    nav: list[NavItem]
    switcher: list[Switch]
    data_licence: str

    @classmethod
    def of(cls, readers: tuple[str, ...], path: str, csp: str, data_licence: str) -> Chrome:
        """Return the chrome of the page at ``path`` for a reader of ``readers``."""
        lang = chrome_language(readers)
        here = path.partition("?")[0]
        nav = [NavItem(label, href, href == here) for label, href in NAV]
        return cls(lang, direction(lang), csp, nav, switcher(lang, path), data_licence)
