"""The page chrome: its language follows Accept-Language or the switcher, English otherwise."""

from __future__ import annotations

import re

import jinja2
from jinja2 import nodes

from aiaccess.server import chrome, html, reading
from tests.server.helpers import InProcess

BROWSER = {"Accept": "text/html"}


def messages() -> set[str]:
    """Return every English message the templates translate with ``_("…")``, and the nav's."""
    environment = html.TEMPLATES.env
    found = {label for label, _ in chrome.NAV}
    found |= {*reading.GROUPS.values(), *reading.ORDER, "Quantities", "Other facts"}
    found |= set(reading.DATE_WORDS.values()) | set(reading.WORDS.values())
    for name in environment.list_templates(extensions=["html"]):
        source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
        for call in environment.parse(source).find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == "_" and call.args:
                argument = call.args[0]
                if isinstance(argument, nodes.Const):
                    found.add(argument.value)
    return found


def test_every_chrome_message_is_translated_into_every_language() -> None:
    table = chrome.catalog()
    missing = [
        (message, lang)
        for message in sorted(messages())
        for lang in chrome.LANGUAGES
        if lang != "en" and not table.get(message, {}).get(lang)
    ]
    assert "Skip to content" in messages()
    assert missing == []


def test_templates_escape_what_they_insert() -> None:
    template = html.TEMPLATES.env.from_string("{{ text }}")
    assert template.render(text="<b>&") == "&lt;b&gt;&amp;"


def test_an_undefined_name_in_a_template_is_an_error() -> None:
    template = html.TEMPLATES.env.from_string("{{ nothing }}")
    try:
        template.render()
    except jinja2.UndefinedError:
        return
    raise AssertionError("an undefined name rendered silently")


def test_chrome_follows_accept_language(client: InProcess) -> None:
    page = client.get("/", headers={**BROWSER, "Accept-Language": "he, en;q=0.5"}).text
    assert '<html lang="he" dir="rtl">' in page
    assert "דילוג לתוכן" in page


def test_chrome_falls_back_to_english(client: InProcess) -> None:
    page = client.get("/", headers={**BROWSER, "Accept-Language": "de"}).text
    assert '<html lang="en" dir="ltr">' in page
    assert ">Skip to content</a>" in page


def test_switcher_keeps_the_choice_and_goes_back(client: InProcess) -> None:
    answer = client.get("/language/zh?next=/id/org/openai")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/id/org/openai"
    assert re.match(r"lang=zh;", answer.headers["set-cookie"])
    page = client.get("/id/org/openai", headers={**BROWSER, "Cookie": "lang=zh"}).text
    assert '<html lang="zh" dir="ltr">' in page


def test_switcher_never_sends_the_reader_elsewhere(client: InProcess) -> None:
    answer = client.get("/language/fr?next=//evil.example/")
    assert answer.headers["location"] == "/"


def test_switcher_answers_404_for_an_unknown_language(client: InProcess) -> None:
    answer = client.get("/language/xx")
    assert answer.status_code == 404
    assert "available: en, he, zh, fr, vi" in answer.text


def test_switcher_takes_only_get_and_head(client: InProcess) -> None:
    answer = client.post("/language/fr?next=/")
    assert (answer.status_code, answer.text) == (405, "POST is not allowed here; use GET, HEAD\n")


def test_a_cookie_for_an_unknown_language_is_ignored(client: InProcess) -> None:
    page = client.get("/", headers={**BROWSER, "Cookie": "lang=xx", "Accept-Language": "fr"}).text
    assert '<html lang="fr" dir="ltr">' in page


def test_pages_vary_on_the_cookie_that_chooses_their_language(client: InProcess) -> None:
    for path in ("/", "/id/org/openai"):
        assert "Cookie" in client.get(path, headers=BROWSER).headers["vary"]
