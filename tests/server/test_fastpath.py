"""The lean path for cached answers sends exactly what the endpoint would."""

from __future__ import annotations

from tests.server.helpers import InProcess

TEXT = "SELECT (COUNT(*) AS ?n) { ?s a aia:Article } # lean path"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def relevant(headers: dict[str, str]) -> dict[str, str]:
    """Return the headers a response's meaning depends on."""
    return {k: v for k, v in headers.items() if k in ("content-type", "content-length", "vary")}


def test_cached_get_is_the_same_answer(client: InProcess) -> None:
    params = {"query": TEXT + " get"}
    first = client.get("/sparql", params=params, headers={"accept": "text/csv"})
    second = client.get("/sparql", params=params, headers={"accept": "text/csv"})
    assert (
        (second.status_code, second.text) == (first.status_code, first.text) == (200, "n\r\n5\r\n")
    )
    assert relevant(dict(second.headers)) == relevant(dict(first.headers))


def test_cached_post_of_a_form_is_the_same_answer(client: InProcess) -> None:
    body = "query=" + (TEXT + " form").replace(" ", "+").replace("#", "%23").replace("?", "%3F")
    first = client.post("/sparql", content=body, headers={**FORM, "accept": "text/csv"})
    second = client.post("/sparql", content=body, headers={**FORM, "accept": "text/csv"})
    assert (
        (second.status_code, second.text) == (first.status_code, first.text) == (200, "n\r\n5\r\n")
    )


def test_cached_post_of_a_query_is_the_same_answer(client: InProcess) -> None:
    headers = {"content-type": "application/sparql-query", "accept": "text/csv"}
    first = client.post("/sparql", content=TEXT + " direct", headers=headers)
    second = client.post("/sparql", content=TEXT + " direct", headers=headers)
    assert (
        (second.status_code, second.text) == (first.status_code, first.text) == (200, "n\r\n5\r\n")
    )


def test_cors_request_for_a_cached_answer_gets_cors_headers(client: InProcess) -> None:
    params = {"query": TEXT + " cors"}
    client.get("/sparql", params=params)
    response = client.get("/sparql", params=params, headers={"origin": "https://example.org"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_browser_asking_a_cached_query_gets_the_editor(client: InProcess) -> None:
    params = {"query": TEXT + " browser"}
    html = "text/html,application/xhtml+xml,*/*;q=0.8"
    client.post("/sparql", data=params, headers={"accept": html})
    page = client.get("/sparql", params=params, headers={"accept": html})
    assert page.headers["content-type"].startswith("text/html")


def test_cached_query_with_a_repeated_parameter_is_still_refused(client: InProcess) -> None:
    params = [("query", TEXT + " twice")]
    client.get("/sparql", params=params)
    response = client.get("/sparql", params=params * 2)
    assert response.status_code == 400


def test_a_request_repeated_as_it_came_gets_the_same_answer_each_time(client: InProcess) -> None:
    headers = {"content-type": "application/sparql-query", "accept": "text/csv"}
    answers = [client.post("/sparql", content=TEXT + " again", headers=headers) for _ in range(3)]
    assert [(a.status_code, a.text) for a in answers] == [(200, "n\r\n5\r\n")] * 3
    assert relevant(dict(answers[2].headers)) == relevant(dict(answers[0].headers))


def test_cached_query_with_an_oversized_body_is_still_refused(client: InProcess) -> None:
    params = {"query": TEXT + " oversized"}
    client.get("/sparql", params=params)
    client.get("/sparql", params=params)
    body = "x=" + "y" * (1024 * 1024)
    response = client.post("/sparql", params=params, content=body, headers=FORM)
    assert response.status_code == 413
