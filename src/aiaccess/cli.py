"""The ``aiaccess`` command line: a thin shell over the library.

Each command calls one library function and prints its result. Errors the
user can cause (:class:`AiaccessError`) become one line, ``Error: …``, and
exit status 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from aiaccess import __version__
from aiaccess.errors import AiaccessError
from aiaccess.resources import Resources

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into ``Error: …`` on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AiaccessError as error:
            raise click.ClickException(str(error)) from None
        except BrokenPipeError:
            # The reader went away (``aiaccess queries | head``): stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(f"{where}{error.strerror or error}") from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aiaccess")
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    envvar="AIACCESS_ROOT",
    help="Folder with seeds/, ontology/, data/ and queries/ to build, validate and "
    "publish [default: the packaged data; env: AIACCESS_ROOT].",
)
@click.pass_context
def main(context: click.Context, root: Path | None) -> None:
    """aiaccess: how access to American AI services in China was cut, rerouted
    and restricted in 2024, as a linked-data knowledge graph."""
    context.obj = Resources(root.resolve()) if root is not None else None


def _resources() -> Resources | None:
    """Return the data folder chosen with --root, or None for the packaged data."""
    obj = click.get_current_context().find_root().obj
    return obj if isinstance(obj, Resources) else None


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Folder to write the artifacts to (replaced atomically).",
)
@reports_errors
def build(out: Path) -> None:
    """Assemble the dataset and write dist/: TriG, N-Quads, Turtle, JSON-LD,
    ontology, shapes, VoID/DCAT and SHA256SUMS.

    Two builds are byte-identical; a failed build leaves the old folder as it was.

    Example: aiaccess build --out dist
    """
    from aiaccess.build import build as run_build

    hidden = not sys.stderr.isatty()
    with click.progressbar(length=1, label="Articles", file=sys.stderr, hidden=hidden) as bar:

        def advance(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        written = run_build(out, _resources(), advance)
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@reports_errors
def validate() -> None:
    """Check the dataset: every quote verbatim in its seed, and the SHACL shapes.

    Prints the violations grouped by resource, with the data file that
    describes each; exits 1 if there is any.

    Example: aiaccess validate
    """
    from aiaccess.validate import validate as run_validate

    report = run_validate(_resources())
    click.echo(report.text())
    if not report.conforms:
        raise SystemExit(1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on (0: any free).")
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="On-disk Oxigraph store, created from the packaged data if missing.",
)
@click.option("--base-url", help="Public URL of this server [default: the URL it listens on].")
@click.option(
    "--timeout", default=10.0, show_default=True, help="Seconds a query may run on a worker."
)
@click.option("--allow-service", multiple=True, metavar="URL", help="Allow SERVICE to URL.")
@click.option("--workers", type=click.IntRange(1), help="Query processes [default: cores, min 2].")
@click.option(
    "--front-ends",
    type=click.IntRange(1),
    help="HTTP processes sharing the port, each with its share of workers, queue and budgets "
    "[default: cores, at most the workers].",
)
@click.option(
    "--max-query-length", default=50_000, show_default=True, help="Longest query, in characters."
)
@click.option(
    "--max-body-bytes", default=1_048_576, show_default=True, help="Largest request body."
)
@click.option(
    "--max-result-bytes", default=33_554_432, show_default=True, help="Largest query result."
)
@click.option(
    "--queue-length",
    default=64,
    show_default=True,
    help="Queries waiting for a worker at once; more are answered 503.",
)
@click.option(
    "--queue-timeout", default=30.0, show_default=True, help="Seconds a query may wait to run."
)
@click.option(
    "--worker-memory",
    default=2048,
    show_default=True,
    type=click.IntRange(0),
    help="MiB of address space per query worker (0: no limit).",
)
@click.option(
    "--client-budget",
    default=60.0,
    show_default=True,
    type=click.FloatRange(0),
    help="Seconds of query time per client address per minute (0: off; loopback exempt).",
)
@click.option(
    "--cors-origin", multiple=True, default=["*"], show_default=True, help="Origin CORS allows."
)
@click.option("--no-cors", is_flag=True, help="Send no CORS headers.")
@click.option("--access-log", is_flag=True, help="Log every request.")
@reports_errors
def serve(
    host: str,
    port: int,
    store: Path | None,
    base_url: str | None,
    timeout: float,
    allow_service: tuple[str, ...],
    workers: int | None,
    front_ends: int | None,
    max_query_length: int,
    max_body_bytes: int,
    max_result_bytes: int,
    queue_length: int,
    queue_timeout: float,
    worker_memory: int,
    client_budget: float,
    cors_origin: tuple[str, ...],
    no_cors: bool,
    access_log: bool,
) -> None:
    """Serve the dataset: a read-only SPARQL endpoint at /sparql, Linked Data for
    every https://w3id.org/aiaccess/ IRI, and the downloads (/dataset.ttl, …).

    SERVICE is refused unless --allow-service names the endpoint; a query running
    past --timeout is stopped and answered 503. Stops on Ctrl-C or SIGTERM.

    Example: aiaccess serve --port 8000 --base-url https://example.org/aiaccess/
    """
    from aiaccess.server.limits import Limits
    from aiaccess.server.runner import serve as run_server
    from aiaccess.server.settings import Settings, default_front_ends, default_workers

    limits = Limits(
        timeout=timeout,
        query_length=max_query_length,
        body_bytes=max_body_bytes,
        result_bytes=max_result_bytes,
        queue_length=queue_length,
        queue_seconds=queue_timeout,
        worker_memory=worker_memory * 2**20,
        client_seconds=client_budget,
    )
    workers = workers or default_workers()
    try:
        settings = Settings(
            base_url=base_url or "http://localhost/",
            workers=workers,
            front_ends=front_ends or default_front_ends(workers),
            allow_service=allow_service,
            cors_origins=() if no_cors else cors_origin,
            store=store,
            limits=limits,
        )
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    run_server(settings, host, port, click.echo, access_log, base_url_given=base_url is not None)


@main.command()
@click.option("--to", "store", required=True, metavar="URL", help="Graph Store Protocol URL.")
@click.option("--user", envvar="AIACCESS_USER", help="User for HTTP auth [env: AIACCESS_USER].")
@click.option("--password", envvar="AIACCESS_PASSWORD", help="Password [env: AIACCESS_PASSWORD].")
@click.option("--auth", type=click.Choice(["basic", "digest"]), default="basic", show_default=True)
@click.option(
    "--graph-param",
    default="graph",
    show_default=True,
    help="Query parameter naming the graph (Virtuoso: graph-uri).",
)
@click.option(
    "--format",
    "rdf_format",
    type=click.Choice(["n-triples", "turtle"]),
    default="n-triples",
    show_default=True,
    help="Serialization sent to the store.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Retries of a transient failure (no connection, timeout, 5xx, 429).",
)
@click.option("--timeout", default=60.0, show_default=True, help="Seconds per HTTP request.")
@click.option(
    "--query-endpoint",
    metavar="URL",
    help="SPARQL endpoint for the count check [default: read each graph back].",
)
@reports_errors
def publish(
    store: str,
    user: str | None,
    password: str | None,
    auth: str,
    graph_param: str,
    rdf_format: str,
    retries: int,
    timeout: float,
    query_endpoint: str | None,
) -> None:
    """Publish the dataset to a triple store speaking the SPARQL 1.1 Graph Store
    HTTP Protocol: one PUT per named graph, each replacing that graph, then a
    check that the store holds as many triples in each graph as the dataset.

    A graph is listed as published only once the store has confirmed it.

    \b
    Examples:
      aiaccess publish --to http://127.0.0.1:7878/store
      AIACCESS_PASSWORD=dba aiaccess publish --user dba --auth digest \\
        --graph-param graph-uri --to http://127.0.0.1:8890/sparql-graph-crud-auth
    """
    from aiaccess.dataset import assemble
    from aiaccess.publish import Published, Target, credentials
    from aiaccess.publish import publish as run_publish

    target = Target(
        store,
        graph_param=graph_param,
        credentials=credentials(user, password, auth),
        retries=retries,
        timeout_s=timeout,
        rdf_format=rdf_format,
        query_endpoint=query_endpoint,
    )
    quads = assemble(_resources()).quads
    done: list[Published] = []
    try:
        hidden = not sys.stderr.isatty()
        with click.progressbar(
            length=len(quads), label="Publishing", file=sys.stderr, hidden=hidden
        ) as bar:

            def confirmed(graph: Published) -> None:
                done.append(graph)
                bar.update(graph.triples)

            report = run_publish(quads, target, confirmed)
    finally:
        for graph in done:
            click.echo(f"published <{graph.graph}>: {graph.triples} triples")
    click.echo(f"verified: the store holds {report.triples} triples in {len(report.graphs)} graphs")


@main.command()
@click.option(
    "--markdown", is_flag=True, help="Print docs/queries.md (headers and sample answers) instead."
)
@reports_errors
def queries(markdown: bool) -> None:
    """List the canned queries: name, parameters and the question each answers.

    Run one with: aiaccess query NAME

    Examples:

        aiaccess queries

        aiaccess queries --markdown > docs/queries.md
    """
    from aiaccess.catalog import catalog
    from aiaccess.querydocs import markdown as docs

    if markdown:
        click.echo(docs(), nl=False)
        return
    for name, canned in catalog().items():
        params = ", ".join(f"{p.name}={p.default}" for p in canned.parameters)
        click.echo(f"{name}  [{params}]\n    {canned.question}")


@main.command()
@click.argument("name", metavar="NAME|FILE.rq")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter of the query; repeat for several.",
)
@click.option(
    "--lang",
    help="Language of names and labels (the lang parameter): one the articles are written in, "
    "en, fr, he, vi or zh [default: en].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml"]),
    default="table",
    show_default=True,
    help="A readable table, or standard SPARQL 1.1 results (json, xml, csv, tsv).",
)
@click.option("--endpoint", metavar="URL", help="Ask this SPARQL 1.1 endpoint instead.")
@click.option("--wide", is_flag=True, help="Do not wrap the table to the terminal's width.")
@reports_errors
def query(
    name: str,
    params: tuple[str, ...],
    lang: str | None,
    fmt: str,
    endpoint: str | None,
    wide: bool,
) -> None:
    """Run a canned query by NAME (see: aiaccess queries), or a .rq FILE, and print
    the results.

    Entity (IRI) parameters take a name in any language of the articles (OpenAI,
    微软), a slug (openai), kind/slug (org/openai) or a full IRI; a name that
    matches nothing, or several things, is an error that suggests what you may
    have meant. Without --endpoint the query runs on the packaged dataset.

    The table fits the terminal's width (set COLUMNS to choose another): long
    text wraps, IRIs and URLs are never cut. --wide keeps every row on one line.

    Examples:

        aiaccess query timeline

        aiaccess query entity-profile --param entity=org/openai --lang en

        aiaccess query entity-profile -p entity=微软 --lang zh

        aiaccess query migration-offers --format json

        aiaccess query my-question.rq --endpoint http://localhost:7878/query
    """
    from aiaccess.load import store
    from aiaccess.names import language
    from aiaccess.sparql import run_query, serialize_query

    bound = _parameters(params, lang)
    data = store()
    if "lang" in bound:
        bound["lang"] = language(str(bound["lang"]), data)
    where: dict[str, Any] = {"endpoint": endpoint} if endpoint else {"store": data}
    if fmt == "table":
        columns = None if wide else shutil.get_terminal_size().columns
        click.echo(run_query(name, **where, **bound).table(columns))
        return
    click.echo(serialize_query(name, fmt, **where, **bound), nl=False)


def _parameters(params: tuple[str, ...], lang: str | None) -> dict[str, Any]:
    """Read ``--param name=value`` options (and ``--lang``) into a dictionary."""
    from aiaccess.errors import ParameterError

    bound: dict[str, Any] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"--param {item!r} is not NAME=VALUE")
        if key.strip() in bound:
            raise ParameterError(f"parameter {key.strip()!r} is given twice")
        bound[key.strip()] = value
    if lang is not None:
        if "lang" in bound:
            raise ParameterError("give the language with --lang or --param lang=…, not both")
        bound["lang"] = lang
    return bound
