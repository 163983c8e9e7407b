"""Generate a synthetic corpus of N articles shaped like the real ones, for the benchmarks.

Not a test: the benchmarks and one test call it.

    .venv/bin/python bench/generate.py N OUT [--seed S]

``OUT`` becomes a data folder that ``aiaccess --root OUT build`` builds: the
project's ontology, shapes and checks; a registry that grows with N (OpenAI and China
in all five languages plus, per article, an organization, a product and a
person named in that article's script); and N seed texts in Hebrew, English, Chinese, French
and Vietnamese, each with its article file. Every article reports what the real
ones do -- an access restriction shared with four other articles (each giving
its own start date), the announcement event, a partnership, a chief executive's
membership, a migration offer with its free-token quantity, an analysts' claim
and an e-mail sent on a relative date ("last month") -- each fact backed by a
verbatim quote of its text. The same N and seed give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from aiaccess.namespaces import AIA, ID, ORG, PREFIXES, RDF, RDFS, SCHEMA, XSD
from aiaccess.resources import default_resources

LANGUAGES = ("he", "en", "zh", "fr", "vi")


def _words(text: str) -> list[str]:
    """Return the words of ``text`` (lists of names are easier to read as one string)."""
    return text.split()


MONTHS = {
    "en": _words(
        "January February March April May June July August September October November December"
    ),
    "fr": _words(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ),
    "he": _words(
        "בינואר בפברואר במרץ באפריל במאי ביוני ביולי באוגוסט בספטמבר באוקטובר בנובמבר בדצמבר"
    ),
}
SYLLABLES = {
    "he": _words("בר גל דן זי חן טל כה לי מו נע סה פז צי קו רן שי"),
    "zh": list("华云星海智信达科联通盛恒安博创瑞"),
    "vi": _words("Minh Quốc Hùng Thành Việt Long Phúc Đức Hải Sơn Anh Bảo Tâm Nam Hòa Lâm"),
    "latin": _words("ka lo mi ne ru sa ti vo be da fi gu ho ja pe zu"),
}
SENTENCES = {
    "en": (
        "{org} will restrict access to {product} in China from {start}.",
        "{org} announced the decision on {announced}.",
        "{org} works with OpenAI on the service.",
        "{person}, chief executive of {org}, confirmed the plan.",
        "{org} offers {tokens} free tokens to developers who move to {product}.",
        "Analysts say the move pushes developers toward domestic models.",
        "Developers received an email about the change last month.",
    ),
    "fr": (
        "{org} limitera l'accès à {product} en Chine à partir du {start}.",
        "{org} a annoncé la décision le {announced}.",
        "{org} travaille avec OpenAI sur ce service.",
        "{person}, directeur général de {org}, a confirmé le projet.",
        "{org} offre {tokens} jetons gratuits aux développeurs qui passent à {product}.",
        "Selon les analystes, cette décision pousse les développeurs vers les modèles locaux.",
        "Les développeurs ont reçu un courriel sur ce changement le mois dernier.",
    ),
    "vi": (
        "{org} sẽ hạn chế quyền truy cập vào {product} tại Trung Quốc từ {start}.",
        "{org} đã công bố quyết định vào {announced}.",
        "{org} hợp tác với OpenAI về dịch vụ này.",
        "{person}, giám đốc điều hành của {org}, đã xác nhận kế hoạch.",
        "{org} tặng {tokens} token miễn phí cho các nhà phát triển chuyển sang {product}.",
        "Các nhà phân tích cho rằng động thái này đẩy các nhà phát triển sang mô hình trong nước.",
        "Các nhà phát triển đã nhận được email về thay đổi này vào tháng trước.",
    ),
    "zh": (
        "{org}将从{start}起限制中国用户访问{product}。",
        "{org}于{announced}宣布了这一决定。",
        "{org}与OpenAI在这项服务上合作。",
        "{org}首席执行官{person}证实了这一计划。",
        "{org}向迁移到{product}的开发者提供{tokens}个免费token。",
        "分析人士认为,此举将推动开发者转向国产模型。",
        "开发者上个月收到了关于这一变化的邮件。",
    ),
    "he": (
        "{org} תגביל את הגישה ל{product} בסין החל מ-{start}.",
        "{org} הודיעה על ההחלטה ב-{announced}.",
        "{org} עובדת עם OpenAI על השירות.",
        "{person}, המנכ״ל של {org}, אישר את התוכנית.",
        "{org} מציעה {tokens} טוקנים בחינם למפתחים שעוברים ל{product}.",
        "לדברי אנליסטים, המהלך דוחף מפתחים למודלים מקומיים.",
        "מפתחים קיבלו בחודש שעבר דוא״ל על השינוי.",
    ),
}
GLOSSES = SENTENCES["en"]
"""The English glosses: the English sentences, with the English names."""
HEADLINE = {
    "en": "{org} restricts {product} in China",
    "fr": "{org} restreint {product} en Chine",
    "vi": "{org} hạn chế {product} tại Trung Quốc",
    "zh": "{org}限制{product}在中国的使用",
    "he": "{org} מגבילה את {product} בסין",
}
GROUP = 5
"""Articles that report the same restriction, each with its own start date."""


@dataclass(frozen=True)
class Names:
    """One article's new entities, as its text writes them and in English."""

    org: str
    product: str
    person: str
    org_en: str
    product_en: str
    person_en: str


def _code(number: int, alphabet: list[str], width: int) -> list[str]:
    """Return ``number`` written in ``width`` symbols of ``alphabet`` (unique per number)."""
    digits = []
    for _ in range(width):
        number, digit = divmod(number, len(alphabet))
        digits.append(alphabet[digit])
    return digits


def names(index: int, language: str) -> Names:
    """Return the names of article ``index``'s organization, product and person."""
    latin = "".join(_code(index, SYLLABLES["latin"], 4)).capitalize()
    org_en, product_en, person_en = f"{latin} Labs", f"{latin} Chat", f"Ari {latin}"
    if language in ("en", "fr"):
        return Names(org_en, product_en, person_en, org_en, product_en, person_en)
    code = _code(index, SYLLABLES[language], 4)
    if language == "zh":
        word = "".join(code)
        return Names(word + "科技", word + "助手", "李" + word, org_en, product_en, person_en)
    word = "".join(code) if language == "he" else " ".join(code)
    prefix = {"he": ("מעבדות ", "צ׳אט ", "ארי "), "vi": ("Công ty ", "Trợ lý ", "Ông ")}
    org, product, person = (p + word for p in prefix[language])
    return Names(org, product, person, org_en, product_en, person_en)


def date_text(day: int, month: int, language: str) -> str:
    """Return 2024-month-day as the article's language writes a date."""
    if language == "zh":
        return f"2024年{month}月{day}日"
    if language == "vi":
        return f"ngày {day} tháng {month} năm 2024"
    if language == "he":
        return f"{day} {MONTHS['he'][month - 1]} 2024"
    if language == "fr":
        return f"{day} {MONTHS['fr'][month - 1]} 2024"
    return f"{MONTHS['en'][month - 1]} {day}, 2024"


@dataclass(frozen=True)
class Article:
    """One generated article: its slug, seed file, text and the values it states."""

    index: int
    language: str
    names: Names
    start: tuple[int, int]
    announced: tuple[int, int]
    tokens: int

    @property
    def slug(self) -> str:
        """The article's slug (its file name)."""
        return f"{self.language}-synthetic-{self.index:05d}"

    @property
    def seed(self) -> str:
        """The seed's file name, in the real seeds' pattern."""
        digest = hashlib.sha256(self.slug.encode()).hexdigest()[:16]
        return f"{self.index % 1000:03d}_{digest}.txt"

    def slots(self, language: str) -> dict[str, str]:
        """Return the values the sentences of ``language`` (or English glosses) need."""
        english = language == "en-gloss"
        n = self.names
        return {
            "org": n.org_en if english else n.org,
            "product": n.product_en if english else n.product,
            "person": n.person_en if english else n.person,
            "start": date_text(*reversed(self.start), "en" if english else self.language),
            "announced": date_text(*reversed(self.announced), "en" if english else self.language),
            "tokens": str(self.tokens),
        }

    def sentences(self) -> list[str]:
        """Return the sentences of the text; quote ``i`` backs fact ``i``."""
        return [s.format(**self.slots(self.language)) for s in SENTENCES[self.language]]

    def glosses(self) -> list[str]:
        """Return the English gloss of each sentence."""
        return [g.format(**self.slots("en-gloss")) for g in GLOSSES]

    def headline(self) -> str:
        """Return the headline in the article's language."""
        return HEADLINE[self.language].format(**self.slots(self.language))

    def text(self) -> str:
        """Return the seed text: headline, then the sentences as one paragraph."""
        joiner = "" if self.language == "zh" else " "
        return f"{self.headline()}\n\n{joiner.join(self.sentences())}\n"


def article(index: int, rng: random.Random) -> Article:
    """Return article ``index``, its language and values drawn from ``rng``."""
    language = LANGUAGES[index % len(LANGUAGES)]
    start = (rng.randint(6, 9), rng.randint(1, 28))
    announced = (start[0] - 1, rng.randint(1, 28))
    tokens = rng.randint(1, 300) * 1_000_000
    return Article(index, language, names(index, language), start, announced, tokens)


class Writer:
    """Triples of one file, with helpers for the project's IRIs and literals."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, subject: ox.NamedNode | ox.BlankNode, predicate: str, obj: object) -> None:
        """Add one triple; ``obj`` may be a term or a plain Python string (an IRI)."""
        value = obj if isinstance(obj, ox.NamedNode | ox.Literal | ox.BlankNode) else iri(str(obj))
        self.triples.append(ox.Triple(subject, ox.NamedNode(predicate), value))

    def evidence(self, fact: ox.NamedNode, quote: str, language: str, gloss: str) -> None:
        """Add ``fact aia:evidence [ aia:quote …; aia:gloss … ]``."""
        node = ox.BlankNode(f"evidence{len(self.triples)}")  # stable labels: stable bytes
        self.add(fact, AIA + "evidence", node)
        self.add(node, AIA + "quote", ox.Literal(quote, language=language))
        self.add(node, AIA + "gloss", ox.Literal(gloss, language="en"))

    def turtle(self) -> bytes:
        """Serialize with the project's prefixes (pyoxigraph writes the Turtle)."""
        return ox.serialize(self.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""


def iri(text: str) -> ox.NamedNode:
    """Return an IRI, ``kind/slug`` meaning one under the id/ namespace."""
    return ox.NamedNode(text if "://" in text else ID + text)


def en(text: str) -> ox.Literal:
    """Return English text."""
    return ox.Literal(text, language="en")


def date(month_day: tuple[int, int]) -> ox.Literal:
    """Return an xsd:date in 2024."""
    month, day = month_day
    return ox.Literal(f"2024-{month:02d}-{day:02d}", datatype=ox.NamedNode(XSD + "date"))


SHARED = {
    ("org/openai", "Organization", "OpenAI"): {lang: "OpenAI" for lang in LANGUAGES},
    ("place/china", "Jurisdiction", "China"): {
        "he": "סין",
        "en": "China",
        "zh": "中国",
        "fr": "Chine",
        "vi": "Trung Quốc",
    },
}
"""Registry entities every article names, with the form each language writes."""


def shared_entries(out: Writer) -> None:
    """Add the entities every article names (OpenAI, China) in all five languages."""
    for (kind, cls, english), forms in SHARED.items():
        entity = iri(kind)
        out.add(entity, RDF + "type", ox.NamedNode(AIA + cls))
        out.add(entity, RDFS + "label", en(english))
        for language, form in forms.items():
            out.add(entity, AIA + "surfaceForm", ox.Literal(form, language=language))


def registry_entries(item: Article, out: Writer) -> None:
    """Add the article's organization, product, person (and every tenth, an outlet)."""
    n, lang, i = item.names, item.language, item.index
    for kind, name, english, cls in (
        ("org", n.org, n.org_en, "Organization"),
        ("product", n.product, n.product_en, "Product"),
        ("person", n.person, n.person_en, "Person"),
    ):
        entity = iri(f"{kind}/synthetic-{i:05d}")
        out.add(entity, RDF + "type", ox.NamedNode(AIA + cls))
        out.add(entity, RDFS + "label", en(english))
        out.add(entity, AIA + "surfaceForm", ox.Literal(name, language=lang))
    out.add(iri(f"product/synthetic-{i:05d}"), SCHEMA + "manufacturer", f"org/synthetic-{i:05d}")
    if i % 10 == 0:
        outlet = iri(f"org/synthetic-outlet-{i // 10:04d}")
        out.add(outlet, RDF + "type", ox.NamedNode(AIA + "MediaOutlet"))
        out.add(outlet, RDFS + "label", en(f"Synthetic Wire {i // 10}"))


def article_file(item: Article) -> bytes:
    """Return the article's Turtle: metadata and seven facts, each with its quote."""
    out = Writer()
    i, lang = item.index, item.language
    quotes, glosses = item.sentences(), item.glosses()
    org, product = f"org/synthetic-{i:05d}", f"product/synthetic-{i:05d}"
    this = iri(f"article/{item.slug}")
    out.add(this, RDF + "type", ox.NamedNode(AIA + "Article"))
    out.add(this, RDFS + "label", en(f"Synthetic article {i}: {item.names.org_en} restricts"))
    out.add(this, SCHEMA + "headline", ox.Literal(item.headline(), language=lang))
    out.add(this, SCHEMA + "inLanguage", ox.Literal(lang))
    out.add(this, AIA + "seedFile", ox.Literal(item.seed))
    out.add(this, SCHEMA + "publisher", f"org/synthetic-outlet-{i // 10:04d}")
    out.add(this, AIA + "certainty", ox.NamedNode(AIA + "Reported"))
    out.evidence(this, item.headline(), lang, f"Headline of synthetic article {i}")
    for number, (fact, cls, label, values) in _facts(item, org, product):
        node = iri(fact)
        out.add(node, RDF + "type", ox.NamedNode(AIA + cls))
        out.add(node, RDFS + "label", en(label))
        out.add(node, AIA + "certainty", ox.NamedNode(AIA + "Reported"))
        for predicate, value in values:
            out.add(node, predicate, value)
        out.evidence(node, quotes[number], lang, glosses[number])
    role = iri("role/chief-executive-officer")
    out.add(role, RDF + "type", ox.NamedNode(AIA + "Role"))
    out.add(role, RDFS + "label", en("chief executive officer"))
    return out.turtle()


Fact = tuple[int, tuple[str, str, str, list[tuple[str, object]]]]


def _facts(item: Article, org: str, product: str) -> list[Fact]:
    """Return each fact with the sentence quoted for it: IRI, class, English label, values."""
    i = item.index
    restriction = f"policy/synthetic-restriction-{i // GROUP:04d}"
    tokens = f"quantity/synthetic-{i:05d}-free-tokens"
    ceo = "role/chief-executive-officer"
    facts = [
        (
            restriction,
            "AccessRestriction",
            f"Restriction group {i // GROUP}",
            [
                (AIA + "actor", org),
                (AIA + "service", product),
                (AIA + "jurisdiction", "place/china"),
                (AIA + "audience", AIA + "Developers"),
                (SCHEMA + "startDate", date(item.start)),
            ],
        ),
        (
            f"event/synthetic-{i:05d}-announcement",
            "Event",
            "The restriction is announced",
            [
                (AIA + "eventType", AIA + "Announcement"),
                (AIA + "actor", org),
                (AIA + "concerns", restriction),
                (SCHEMA + "startDate", date(item.announced)),
            ],
        ),
        (
            f"relation/synthetic-{i:05d}-openai",
            "Partnership",
            "Partnership with OpenAI",
            [
                (AIA + "party", org),
                (AIA + "party", "org/openai"),
            ],
        ),
        (
            f"membership/synthetic-{i:05d}-ceo",
            "Membership",
            "Chief executive",
            [
                (ORG + "member", f"person/synthetic-{i:05d}"),
                (ORG + "organization", org),
                (ORG + "role", ceo),
            ],
        ),
        (
            f"offer/synthetic-{i:05d}",
            "MigrationOffer",
            "Free tokens for developers",
            [
                (AIA + "actor", org),
                (AIA + "service", product),
                (AIA + "freeTokens", tokens),
            ],
        ),
        (
            f"claim/synthetic-{i:05d}-domestic",
            "Claim",
            "Analysts on domestic models",
            [
                (SCHEMA + "text", en("The move pushes developers toward domestic models.")),
                (AIA + "note", en("Attributed to unnamed analysts.")),
            ],
        ),
        (
            f"event/synthetic-{i:05d}-email",
            "Event",
            "Developers are e-mailed",
            [
                (AIA + "eventType", AIA + "Notification"),
                (AIA + "actor", org),
                (
                    AIA + "note",
                    en("'Last month': relative to an undated article, left unresolved."),
                ),
            ],
        ),
    ]
    quantity = (
        tokens,
        "Quantity",
        "Free tokens offered",
        [
            (
                SCHEMA + "value",
                ox.Literal(str(item.tokens), datatype=ox.NamedNode(XSD + "integer")),
            ),
            (SCHEMA + "unitText", en("tokens")),
            (AIA + "quantityOf", product),
        ],
    )
    return [*enumerate(facts), (4, quantity)]


def generate(count: int, out: Path, seed: int = 0) -> list[Article]:
    """Write a data folder of ``count`` articles into ``out`` (replacing it); return them."""
    shutil.rmtree(out, ignore_errors=True)
    shipped = default_resources()
    shutil.copytree(shipped.root / "ontology", out / "ontology")
    shutil.copytree(shipped.queries, out / "queries")
    (out / "seeds").mkdir(parents=True)
    (out / "data" / "articles").mkdir(parents=True)
    rng = random.Random(seed)
    items = [article(i, rng) for i in range(count)]
    registry = Writer()
    shared_entries(registry)
    sums = []
    for item in items:
        registry_entries(item, registry)
        text = item.text().encode()
        (out / "seeds" / item.seed).write_bytes(text)
        sums.append(f"{hashlib.sha256(text).hexdigest()}  {item.seed}\n")
        (out / "data" / "articles" / f"{item.slug}.ttl").write_bytes(article_file(item))
    (out / "data" / "registry.ttl").write_bytes(registry.turtle())
    (out / "seeds" / "SHA256SUMS").write_text("".join(sorted(sums)), encoding="utf-8")
    return items


def main() -> int:
    """Generate the corpus the command line asks for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    options = parser.parse_args()
    generate(options.count, options.out, options.seed)
    print(f"wrote {options.count} articles to {options.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
