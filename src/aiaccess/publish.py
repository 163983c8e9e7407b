"""Publishing the dataset to a triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph is serialized by Oxigraph and sent in one ``PUT`` to
``<store>?graph=<iri>``, which replaces that graph atomically on the store.
Transient failures (no connection, timeouts, 5xx, 429) are retried a bounded
number of times with exponential backoff; anything else stops the upload.
Finally the triples of every graph are counted on the store and compared with
the local counts.

The core reports progress through a callback and never prints: the CLI draws
the progress bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import httpx
import pyoxigraph as ox

from aiaccess.errors import PublishError, QueryError

AuthScheme = Literal["basic", "digest"]

FORMATS: dict[str, ox.RdfFormat] = {
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "turtle": ox.RdfFormat.TURTLE,
}
"""The serializations a graph can be sent in, by option name."""

_TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
_MAX_BACKOFF_S = 30.0
_SHOWN_BODY = 200
_COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class Credentials:
    """A user name and password, and the HTTP authentication scheme to send them with."""

    user: str
    password: str = field(repr=False)
    scheme: AuthScheme = "basic"

    def auth(self) -> httpx.Auth:
        """Return the httpx authentication object for these credentials.

        >>> type(Credentials("dba", "dba", "digest").auth()).__name__
        'DigestAuth'
        """
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.password)
        return httpx.BasicAuth(self.user, self.password)


def credentials(
    user: str | None, password: str | None, scheme: str = "basic"
) -> Credentials | None:
    """Return the credentials to send, or ``None`` when neither user nor password is given.

    :param scheme: ``basic`` or ``digest``.
    :raises PublishError: if only one of user and password is given, or the scheme is unknown.

    >>> credentials("dba", "dba", "digest")
    Credentials(user='dba', scheme='digest')
    >>> credentials(None, None) is None
    True
    """
    if user is None and password is None:
        return None
    if user is None or password is None:
        raise PublishError("a user name needs a password and a password a user name")
    if scheme not in ("basic", "digest"):
        raise PublishError(f"unknown authentication scheme {scheme!r}: use basic or digest")
    return Credentials(user, password, "digest" if scheme == "digest" else "basic")


@dataclass(frozen=True)
class Target:
    """Where and how to publish.

    :param store: the Graph Store Protocol URL, e.g. ``http://127.0.0.1:7878/store``.
    :param graph_param: the query parameter naming the graph (``graph`` in the
        standard; Virtuoso's authenticated endpoint uses ``graph-uri``).
    :param credentials: HTTP authentication, if the store needs it.
    :param retries: how many times a transient failure is retried (0: never).
    :param backoff_s: the first wait before retrying; it doubles each time.
    :param timeout_s: the timeout of each HTTP request.
    :param rdf_format: the serialization to send (a key of :data:`FORMATS`).
    :param query_endpoint: a SPARQL endpoint for the count check; without one,
        each graph is read back with a Graph Store ``GET``.
    """

    store: str
    graph_param: str = "graph"
    credentials: Credentials | None = None
    retries: int = 3
    backoff_s: float = 0.5
    timeout_s: float = 60.0
    rdf_format: str = "n-triples"
    query_endpoint: str | None = None

    def graph_url(self, graph: str) -> httpx.URL:
        """Return the URL of ``graph`` on the store, keeping the store URL's own parameters.

        >>> str(Target("http://h/crud?x=1", graph_param="graph-uri").graph_url("http://g/1"))
        'http://h/crud?x=1&graph-uri=http%3A%2F%2Fg%2F1'
        """
        return httpx.URL(self.store).copy_merge_params({self.graph_param: graph})


@dataclass(frozen=True)
class Published:
    """One graph the store has confirmed."""

    graph: str
    triples: int


@dataclass(frozen=True)
class Report:
    """The outcome of a complete, verified publication."""

    graphs: list[Published]

    @property
    def triples(self) -> int:
        """Return the number of triples published over all graphs."""
        return sum(p.triples for p in self.graphs)


Progress = Callable[[Published], None]
Sleep = Callable[[float], None]


def publish(
    quads: Iterable[ox.Quad],
    target: Target,
    progress: Progress | None = None,
    sleep: Sleep = time.sleep,
) -> Report:
    """Replace every named graph of ``quads`` on the store, then check the counts.

    :param quads: the dataset, e.g. ``assemble().quads``; quads in the default
        graph are refused.
    :param target: the store and how to talk to it.
    :param progress: called with each graph once the store has confirmed it.
    :param sleep: how to wait between retries (tests pass a no-op).
    :returns: the published graphs with their triple counts.
    :raises PublishError: if the store cannot be reached, refuses the
        credentials, rejects a graph, or ends up with other counts than ours.
    """
    graphs = split_graphs(quads)
    done: list[Published] = []
    with _client(target) as client:
        for graph, triples in graphs.items():
            done.append(upload_graph(client, target, graph, triples, sleep))
            if progress is not None:
                progress(done[-1])
        verify_counts(client, target, {p.graph: p.triples for p in done}, sleep)
    return Report(done)


def split_graphs(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Triple]]:
    """Group quads by named graph, sorted by graph IRI.

    :raises PublishError: if a quad is in the default graph (the protocol
        request for it would replace the store's default graph).

    >>> g = ox.NamedNode("http://g/1")
    >>> q = ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal("o"), g)
    >>> {k: len(v) for k, v in split_graphs([q, q]).items()}
    {'http://g/1': 1}
    """
    graphs: dict[str, set[ox.Triple]] = {}
    for quad in quads:
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise PublishError(f"only named graphs can be published, not {quad}")
        graphs.setdefault(quad.graph_name.value, set()).add(quad.triple)
    return {g: sorted(graphs[g], key=str) for g in sorted(graphs)}


def upload_graph(
    client: httpx.Client, target: Target, graph: str, triples: list[ox.Triple], sleep: Sleep
) -> Published:
    """``PUT`` one graph, replacing it on the store.

    :returns: the graph and its triple count, once the store answered 2xx.
    :raises PublishError: if the store does not accept it.
    """
    rdf_format = FORMATS[target.rdf_format]
    body = ox.serialize(triples, format=rdf_format)
    headers = {"Content-Type": f"{rdf_format.media_type}; charset=utf-8"}
    response = send(client, target, "PUT", target.graph_url(graph), sleep, body, headers)
    _expect_success(response, f"the store rejected graph <{graph}>")
    return Published(graph, len(triples))


def send(
    client: httpx.Client,
    target: Target,
    method: str,
    url: httpx.URL,
    sleep: Sleep,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Send one request, retrying transient failures up to ``target.retries`` times.

    :returns: the first response that is not transient, or the last one.
    :raises PublishError: if the store could not be reached on any attempt.
    """
    for attempt in range(target.retries + 1):
        last = attempt == target.retries
        try:
            response = client.request(method, url, content=body, headers=headers)
        except httpx.TransportError as error:
            if last:
                raise _unreachable(target, url, error, attempt + 1) from None
        else:
            if response.status_code not in _TRANSIENT_STATUS or last:
                return response
        sleep(_delay(target.backoff_s, attempt))
    raise AssertionError("unreachable")  # pragma: no cover


def _delay(backoff_s: float, attempt: int) -> float:
    """Return the wait before retry ``attempt + 1``: doubling, capped.

    >>> [_delay(0.5, a) for a in range(4)]
    [0.5, 1.0, 2.0, 4.0]
    """
    return float(min(backoff_s * 2**attempt, _MAX_BACKOFF_S))


def _unreachable(target: Target, url: httpx.URL, error: Exception, attempts: int) -> PublishError:
    """Describe a transport failure in one line."""
    reason = str(error) or type(error).__name__
    tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
    port = f":{url.port}" if url.port else ""
    where = f"{url.scheme}://{url.host}{port}{url.path}"  # never the user info
    return PublishError(f"cannot reach {where}: {reason} ({tries})")


def _expect_success(response: httpx.Response, context: str) -> None:
    """Raise a one-line :class:`PublishError` unless ``response`` is 2xx."""
    if response.is_success:
        return
    status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    if response.status_code in (401, 403) and not response.request.headers.get("Authorization"):
        raise PublishError(f"{context}: {status}; it needs credentials (--user, --password)")
    if response.status_code == 401:
        raise PublishError(f"{context}: {status}; check the credentials and --auth")
    detail = _first_line(response.text)
    raise PublishError(f"{context}: {status}" + (f": {detail}" if detail else ""))


def _first_line(text: str) -> str:
    """Return the first non-blank line of a response body, shortened.

    >>> _first_line("\\n  Bad graph\\nmore")
    'Bad graph'
    """
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:_SHOWN_BODY]
    return ""


CUT_HINT = (
    " (read back by GET, which some stores cut short, such as Virtuoso past its"
    " ResultSetMaxRows: give --query-endpoint to count by SPARQL)"
)
"""Added when a graph reads back shorter than sent: the store may hold it whole."""


def verify_counts(
    client: httpx.Client, target: Target, expected: dict[str, int], sleep: Sleep
) -> None:
    """Check that the store holds exactly ``expected[g]`` triples in each graph ``g``.

    :raises PublishError: naming the first graph whose count differs.
    """
    counts = _remote_counts(client, target, list(expected), sleep)
    for graph, local in expected.items():
        remote = counts.get(graph, 0)
        if remote != local:
            raise PublishError(
                f"graph <{graph}> has {remote} triples on the store but {local} here"
                + (CUT_HINT if 0 < remote < local and not target.query_endpoint else "")
            )


def _remote_counts(
    client: httpx.Client, target: Target, graphs: list[str], sleep: Sleep
) -> dict[str, int]:
    """Count the triples of each graph on the store, by SPARQL or by reading them back."""
    if target.query_endpoint:
        return count_by_query(target.query_endpoint, target.timeout_s)
    return {g: count_by_get(client, target, g, sleep) for g in graphs}


def count_by_get(client: httpx.Client, target: Target, graph: str, sleep: Sleep) -> int:
    """Read one graph back with a Graph Store ``GET`` and count its triples.

    :raises PublishError: if the store does not answer with RDF Oxigraph can parse.
    """
    url = target.graph_url(graph)
    headers = {"Accept": "application/n-triples, text/turtle;q=0.9"}
    response = send(client, target, "GET", url, sleep, headers=headers)
    if response.status_code == 404:
        return 0
    _expect_success(response, f"cannot read graph <{graph}> back")
    rdf_format = _rdf_format(response, graph)
    try:
        return len({q.triple for q in ox.parse(response.content, format=rdf_format)})
    except SyntaxError as error:
        raise PublishError(f"graph <{graph}> as read back is not valid RDF: {error}") from None


def _rdf_format(response: httpx.Response, graph: str) -> ox.RdfFormat:
    """Return the RDF format of a response from its ``Content-Type``."""
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    rdf_format = ox.RdfFormat.from_media_type(media_type) if media_type else None
    if rdf_format is None:
        raise PublishError(f"graph <{graph}> was read back as {media_type or 'untyped data'}")
    return rdf_format


def count_by_query(endpoint: str, timeout_s: float) -> dict[str, int]:
    """Count the triples of every named graph with one SPARQL query to ``endpoint``.

    :raises PublishError: if the endpoint fails or answers something unexpected.
    """
    from aiaccess.sparql import run_query

    try:
        results = run_query(_COUNT_QUERY, endpoint=endpoint, timeout=timeout_s)
    except QueryError as error:
        raise PublishError(f"the count check failed: {error}") from None
    counts = {}
    for graph, count in results.terms:
        if isinstance(graph, ox.NamedNode) and isinstance(count, ox.Literal):
            counts[graph.value] = int(count.value)
    return counts


def _client(target: Target) -> httpx.Client:
    """Return an HTTP client with the target's timeout and authentication."""
    auth = target.credentials.auth() if target.credentials else None
    return httpx.Client(auth=auth, timeout=target.timeout_s, follow_redirects=True)
