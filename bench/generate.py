"""Generate a synthetic corpus of N articles shaped like the real ones, for the benchmarks.

    .venv/bin/python bench/generate.py --articles N --out DIR [--seed S]

``DIR`` becomes a complete data folder that ``aiaccess --root DIR build`` and
``validate`` accept: the project's ontology, shapes and queries (copied), N
seed texts with their ``SHA256SUMS``, a registry and one Turtle file per
article. Not a test: the benchmark (``bench/bench_build.py``) and
``tests/test_generate.py`` call it.

Like the shipped corpus, articles come in *stories* of five -- one article in
each of Hebrew, English, Chinese, French and Vietnamese, in its own script --
that report the same facts under one IRI, each article's graph stating its own
values (the start dates and free-token counts sometimes disagree). A story
has a company restricting its chat product in China, the announcement, the
chief executive's role and statement, a partnership with OpenAI, Microsoft's
investment (an amount, a year) and its Azure OpenAI route in Hong Kong, a
rival's migration offer with a free-token quantity; each article adds an
analysts' prediction and an e-mail received "last month". Every fact is
backed by a verbatim sentence of its article's text with an English gloss.
The registry grows with N: six entities per story with a name in the script
of each of its articles, one author per article, and the shared entities
(OpenAI, Microsoft, Azure OpenAI, China, Hong Kong) in all five languages.

The vocabulary the project's shapes require grows while the team works: when
the copied ontology declares ``aia:supports`` each evidence names the
properties its quote backs, and when it declares ``aia:TimeExpression`` the
stated and relative dates are also written as time expressions. The same N and
seed give byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from aiaccess.namespaces import AIA, ID, ORG, PREFIXES, RDF, RDFS, SCHEMA, XSD
from aiaccess.resources import default_resources

LANGUAGES = ("he", "en", "zh", "fr", "vi")
STORY = len(LANGUAGES)
"""Articles per story: one in each language, reporting the same facts."""


def words(text: str) -> list[str]:
    """Return the space-separated words of ``text`` (long lists read better as one string)."""
    return text.split()


MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "he": "בינואר בפברואר במרץ באפריל במאי ביוני ביולי באוגוסט בספטמבר באוקטובר בנובמבר בדצמבר",
}
ALPHABETS = {
    "he": words("בר גל דן זי חן טל כה לי מו נע סה פז צי קו רן שי"),
    "zh": list("华星海信达联通盛恒安博创瑞明光远"),
    "vi": words("Minh Quốc Hùng Thành Việt Long Phúc Đức Hải Sơn Anh Bảo Tâm Nam Hòa Lâm"),
    "latin": words("ka lo mi ne ru sa ti vo be da fi gu ho ja pe zu"),
}
"""Sixteen syllables per script, from which entity names are spelled."""
ENTITY_NAMES = {
    # kind: (English / French pattern, Hebrew, Chinese, Vietnamese); {} is the entity's word.
    "company": ("{} Labs", "מעבדות {}", "{}科技", "Công ty {}"),
    "product": ("{} Chat", "צ׳אט {}", "{}助手", "Trợ lý {}"),
    "ceo": ("Ari {}", "ארי {}", "李{}", "Ông {}"),
    "rival": ("{} Cloud", "ענן {}", "{}智能", "Tập đoàn {}"),
    "model": ("{} Model", "מודל {}", "{}模型", "Mô hình {}"),
    "author": ("Dana {}", "דנה {}", "王{}", "Bà {}"),
}
SHARED_NAMES = {
    # entity: (class, English name, {language: form}) named by every article.
    "org/openai": ("Organization", "OpenAI", dict.fromkeys(LANGUAGES, "OpenAI")),
    "org/microsoft": (
        "Organization",
        "Microsoft",
        {"he": "מיקרוסופט", "en": "Microsoft", "zh": "微软", "fr": "Microsoft", "vi": "Microsoft"},
    ),
    "product/azure-openai": ("Product", "Azure OpenAI", dict.fromkeys(LANGUAGES, "Azure OpenAI")),
    "place/china": (
        "Jurisdiction",
        "China",
        {"he": "סין", "en": "China", "zh": "中国", "fr": "Chine", "vi": "Trung Quốc"},
    ),
    "place/hong-kong": (
        "Jurisdiction",
        "Hong Kong",
        {"he": "הונג קונג", "en": "Hong Kong", "zh": "香港", "fr": "Hong Kong", "vi": "Hồng Kông"},
    ),
}
SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "headline": "{company} restricts {product} in China",
        "byline": "By {author} | {outlet} | {published}",
        "restriction": "{company} will restrict developers' access to {product} in China "
        "from {start}.",
        "announcement": "{company} announced the decision on {announced}.",
        "route": "Microsoft will keep offering Azure OpenAI to {company}'s customers in Hong Kong.",
        "partnership": "{company} works with OpenAI on the service.",
        "statement": "{ceo}, chief executive of {company}, confirmed the plan this week.",
        "opinion": "“The change protects our users,” said {ceo}.",
        "offer": "{rival} offers {tokens} free tokens to developers who move to {model}.",
        "investment": "Microsoft invested {amount} million dollars in {company} in {year}.",
        "prediction": "Analysts say the move will push developers toward domestic models.",
        "email": "Developers received an email about the change last month.",
    },
    "fr": {
        "headline": "{company} restreint {product} en Chine",
        "byline": "Par {author} | {outlet} | {published}",
        "restriction": "{company} limitera l'accès des développeurs à {product} en Chine "
        "à partir du {start}.",
        "announcement": "{company} a annoncé la décision le {announced}.",
        "route": "Microsoft continuera d'offrir Azure OpenAI aux clients de {company} à Hong Kong.",
        "partnership": "{company} travaille avec OpenAI sur ce service.",
        "statement": "{ceo}, directeur général de {company}, a confirmé le projet cette semaine.",
        "opinion": "« Ce changement protège nos utilisateurs », a déclaré {ceo}.",
        "offer": "{rival} offre {tokens} jetons gratuits aux développeurs qui passent à {model}.",
        "investment": "Microsoft a investi {amount} millions de dollars dans {company} en {year}.",
        "prediction": "Selon les analystes, cette décision poussera les développeurs vers les "
        "modèles locaux.",
        "email": "Les développeurs ont reçu un courriel sur ce changement le mois dernier.",
    },
    "vi": {
        "headline": "{company} hạn chế {product} tại Trung Quốc",
        "byline": "Tác giả: {author} | {outlet} | {published}",
        "restriction": "{company} sẽ hạn chế các nhà phát triển truy cập {product} tại Trung Quốc "
        "từ {start}.",
        "announcement": "{company} đã công bố quyết định vào {announced}.",
        "route": "Microsoft sẽ tiếp tục cung cấp Azure OpenAI cho khách hàng của {company} "
        "tại Hồng Kông.",
        "partnership": "{company} hợp tác với OpenAI về dịch vụ này.",
        "statement": "{ceo}, giám đốc điều hành của {company}, đã xác nhận kế hoạch "
        "trong tuần này.",
        "opinion": "“Thay đổi này bảo vệ người dùng của chúng tôi”, {ceo} nói.",
        "offer": "{rival} tặng {tokens} token miễn phí cho các nhà phát triển chuyển sang {model}.",
        "investment": "Microsoft đã đầu tư {amount} triệu đô la vào {company} năm {year}.",
        "prediction": "Các nhà phân tích cho rằng động thái này sẽ đẩy các nhà phát triển sang "
        "mô hình trong nước.",
        "email": "Các nhà phát triển đã nhận được email về thay đổi này vào tháng trước.",
    },
    "zh": {
        "headline": "{company}限制{product}在中国的使用",
        "byline": "作者:{author} | {outlet} | {published}",
        "restriction": "{company}将从{start}起限制中国开发者访问{product}。",
        "announcement": "{company}于{announced}宣布了这一决定。",
        "route": "微软将继续在香港向{company}的客户提供Azure OpenAI服务。",
        "partnership": "{company}与OpenAI在这项服务上合作。",
        "statement": "{company}首席执行官{ceo}本周证实了这一计划。",
        "opinion": "{ceo}说:“这一变化保护了我们的用户。”",
        "offer": "{rival}向迁移到{model}的开发者提供{tokens}个免费token。",
        "investment": "微软于{year}年向{company}投资了{amount}百万美元。",
        "prediction": "分析人士认为,此举将推动开发者转向国产模型。",
        "email": "开发者上个月收到了关于这一变化的邮件。",
    },
    "he": {
        "headline": "{company} מגבילה את {product} בסין",
        "byline": "מאת {author} | {outlet} | {published}",
        "restriction": "{company} תגביל את הגישה של מפתחים ל{product} בסין החל מ-{start}.",
        "announcement": "{company} הודיעה על ההחלטה ב-{announced}.",
        "route": "מיקרוסופט תמשיך להציע את Azure OpenAI ללקוחות של {company} בהונג קונג.",
        "partnership": "{company} עובדת עם OpenAI על השירות.",
        "statement": "{ceo}, המנכ״ל של {company}, אישר השבוע את התוכנית.",
        "opinion": "״השינוי מגן על המשתמשים שלנו״, אמר {ceo}.",
        "offer": "{rival} מציעה {tokens} טוקנים בחינם למפתחים שעוברים ל{model}.",
        "investment": "מיקרוסופט השקיעה {amount} מיליון דולר ב{company} בשנת {year}.",
        "prediction": "לדברי אנליסטים, המהלך ידחוף מפתחים למודלים מקומיים.",
        "email": "מפתחים קיבלו בחודש שעבר דוא״ל על השינוי.",
    },
}
PARAGRAPHS = (
    ("restriction", "announcement", "route"),
    ("partnership", "investment"),
    ("statement", "opinion"),
    ("offer", "prediction", "email"),
)
"""The body's sentences, by paragraph (the headline and byline come first)."""


def _code(number: int, alphabet: list[str], salt: int) -> list[str]:
    """Return ``number`` as four symbols of ``alphabet``: a name unique per number and salt.

    The number is scrambled first (an odd multiplier is a bijection modulo 16**4),
    so that neighbouring entities do not get near-identical names.
    """
    number = (number * 40_503 + salt * 9_973) % len(alphabet) ** 4
    digits = []
    for _ in range(4):
        number, digit = divmod(number, len(alphabet))
        digits.append(alphabet[digit])
    return digits


def entity_name(kind: str, number: int, language: str) -> str:
    """Return how ``language`` writes entity ``number`` of ``kind`` (``en`` for English).

    >>> entity_name("company", 1, "en"), entity_name("company", 1, "zh")
    ('Homisaho Labs', '瑞海联瑞科技')
    """
    latin, hebrew, chinese, vietnamese = ENTITY_NAMES[kind]
    salt = list(ENTITY_NAMES).index(kind) + 1
    if language in ("en", "fr"):
        return latin.format("".join(_code(number, ALPHABETS["latin"], salt)).capitalize())
    if language == "zh":
        return chinese.format("".join(_code(number, ALPHABETS["zh"], salt)))
    if language == "he":
        return hebrew.format("".join(_code(number, ALPHABETS["he"], salt)))
    return vietnamese.format(" ".join(_code(number, ALPHABETS["vi"], salt)))


def date_text(month: int, day: int, language: str) -> str:
    """Return the 2024 date as ``language`` writes it.

    >>> date_text(7, 9, "zh"), date_text(7, 9, "fr")
    ('2024年7月9日', '9 juillet 2024')
    """
    if language == "zh":
        return f"2024年{month}月{day}日"
    if language == "vi":
        return f"ngày {day} tháng {month} năm 2024"
    name = MONTHS[language].split()[month - 1]
    return f"{name} {day}, 2024" if language == "en" else f"{day} {name} 2024"


@dataclass(frozen=True)
class Story:
    """What up to five articles report together, with the values they share."""

    number: int
    announced: tuple[int, int]
    start: tuple[int, int]
    tokens: int
    amount: int
    year: int

    def iri(self, kind: str, suffix: str = "") -> str:
        """Return the ``kind/…`` path of one of the story's facts or entities."""
        return f"{kind}/synthetic-{self.number:05d}{suffix}"


@dataclass(frozen=True)
class Article:
    """One generated article: its language, story and the values it states itself."""

    index: int
    language: str
    story: Story
    published: tuple[int, int]
    start: tuple[int, int]
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
        """Return the names and values a sentence in ``language`` is filled with."""
        story = self.story
        names = {kind: entity_name(kind, story.number, language) for kind in ENTITY_NAMES}
        return {
            **names,
            "author": entity_name("author", self.index, language),
            "outlet": f"{entity_name('company', story.number, 'en').split()[0]} Wire",
            "published": date_text(*self.published, language),
            "start": date_text(*self.start, language),
            "announced": date_text(*story.announced, language),
            "tokens": str(self.tokens),
            "amount": str(story.amount),
            "year": str(story.year),
        }

    def sentence(self, key: str, language: str | None = None) -> str:
        """Return sentence ``key`` in the article's language (or in ``language``)."""
        language = language or self.language
        return SENTENCES[language][key].format(**self.slots(language))

    def sentences(self) -> list[str]:
        """Return every sentence of the text, in order; each is quoted in full by a fact."""
        return [self.sentence(key) for key in ("headline", "byline", *_body_keys())]

    def text(self) -> str:
        """Return the seed text: headline, byline, then the paragraphs."""
        joiner = "" if self.language == "zh" else " "
        body = [joiner.join(self.sentence(key) for key in keys) for keys in PARAGRAPHS]
        return "\n\n".join([self.sentence("headline"), self.sentence("byline"), *body]) + "\n"


def _body_keys() -> Iterator[str]:
    """Return the keys of the body's sentences, in order."""
    return (key for keys in PARAGRAPHS for key in keys)


def corpus(count: int, seed: int) -> list[Article]:
    """Return ``count`` articles, every value drawn from one ``random.Random(seed)``."""
    rng = random.Random(seed)
    articles: list[Article] = []
    story: Story | None = None
    for index in range(count):
        if index % STORY == 0:
            announced = (6, rng.randint(1, 28))
            story = Story(
                number=index // STORY,
                announced=announced,
                start=(7, rng.randint(1, 28)),
                tokens=rng.randint(1, 300) * 1_000_000,
                amount=rng.randint(1, 99) * 10,
                year=rng.choice((2022, 2023)),
            )
        assert story is not None
        # One article in four reports its own start date or token count: a disagreement.
        differs = rng.random() < 0.25
        start = (story.start[0], story.start[1] % 28 + 1) if differs else story.start
        tokens = story.tokens + 1_000_000 if rng.random() < 0.25 else story.tokens
        published = (8, rng.randint(1, 28))
        articles.append(Article(index, LANGUAGES[index % STORY], story, published, start, tokens))
    return articles


@dataclass(frozen=True)
class Vocabulary:
    """Which of the newer terms the copied ontology declares (see the module docstring)."""

    supports: bool
    time_expressions: bool

    @classmethod
    def of(cls, ontology: Path) -> Vocabulary:
        """Read the ontology file and tell which terms it declares."""
        declared = {
            t.subject
            for t in ox.parse(path=ontology, format=ox.RdfFormat.TURTLE)
            if t.predicate.value == RDF + "type"
        }
        return cls(
            supports=ox.NamedNode(AIA + "supports") in declared,
            time_expressions=ox.NamedNode(AIA + "TimeExpression") in declared,
        )


def iri(text: str) -> ox.NamedNode:
    """Return an IRI, ``kind/slug`` meaning one under the id/ namespace."""
    return ox.NamedNode(text if "://" in text else ID + text)


def en(text: str) -> ox.Literal:
    """Return English text."""
    return ox.Literal(text, language="en")


def typed(value: str, datatype: str) -> ox.Literal:
    """Return a literal of an XSD datatype."""
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def date(month_day: tuple[int, int]) -> ox.Literal:
    """Return an xsd:date in 2024."""
    month, day = month_day
    return typed(f"2024-{month:02d}-{day:02d}", "date")


Value = ox.NamedNode | ox.Literal | str
"""An object: a term, or a ``kind/slug`` or full IRI as a string."""


@dataclass
class Writer:
    """Triples of one file, with helpers for the project's IRIs and curated evidence."""

    triples: list[ox.Triple] = field(default_factory=list)

    def add(self, subject: ox.NamedNode | ox.BlankNode, predicate: str, obj: Value) -> None:
        """Add one triple."""
        value = iri(obj) if isinstance(obj, str) else obj
        self.triples.append(ox.Triple(subject, ox.NamedNode(predicate), value))

    def evidence(
        self, subject: ox.NamedNode, quote: ox.Literal, gloss: str, supports: list[str]
    ) -> None:
        """Add ``subject aia:evidence [ aia:supports …; aia:quote …; aia:gloss … ]``."""
        node = ox.BlankNode(f"e{len(self.triples)}")  # stable labels: stable bytes
        self.add(subject, AIA + "evidence", node)  # type: ignore[arg-type]
        for predicate in supports:
            self.add(node, AIA + "supports", ox.NamedNode(predicate))
        self.add(node, AIA + "quote", quote)
        self.add(node, AIA + "gloss", en(gloss))

    def turtle(self) -> bytes:
        """Serialize with the project's prefixes (pyoxigraph writes the Turtle)."""
        return ox.serialize(self.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""


@dataclass(frozen=True)
class Fact:
    """One reported fact of an article: IRI, class, label, values and the sentence backing it."""

    path: str
    cls: str
    label: str
    values: list[tuple[str, Value]]
    sentence: str
    certainty: str = "Reported"
    relative: str | None = None
    """The aia:RelativeTimeScheme concept of the date the sentence gives relative to the article."""


def facts(item: Article) -> list[Fact]:
    """Return what ``item`` reports: its story's shared facts, then two of its own."""
    return [
        *_restriction_facts(item),
        *_relation_facts(item),
        *_people_facts(item),
        *_offer_facts(item),
        *_own_facts(item),
    ]


RELATIVE = "; the article gives it only relative to its own date of publication."


def _restriction_facts(item: Article) -> list[Fact]:
    """The restriction, its announcement and the route that works around it."""
    s, names = item.story, item.slots("en")
    company, restriction = s.iri("org"), s.iri("policy")
    return [
        Fact(
            restriction,
            "AccessRestriction",
            f"{names['company']} restricts {names['product']} in China",
            [
                (AIA + "actor", company),
                (AIA + "service", s.iri("product")),
                (AIA + "jurisdiction", "place/china"),
                (AIA + "audience", AIA + "Developers"),
                (SCHEMA + "startDate", date(item.start)),
            ],
            "restriction",
        ),
        Fact(
            s.iri("event", "-announcement"),
            "Event",
            f"{names['company']} announces the restriction",
            [
                (AIA + "eventType", AIA + "Announcement"),
                (AIA + "actor", company),
                (AIA + "concerns", restriction),
                (SCHEMA + "startDate", date(s.announced)),
            ],
            "announcement",
        ),
        Fact(
            s.iri("policy", "-hong-kong-route"),
            "ContinuedAccessRoute",
            f"Azure OpenAI keeps serving {names['company']}'s customers in Hong Kong",
            [
                (AIA + "actor", "org/microsoft"),
                (AIA + "operatedBy", "org/microsoft"),
                (AIA + "service", "product/azure-openai"),
                (AIA + "jurisdiction", "place/hong-kong"),
                (AIA + "routeFor", restriction),
            ],
            "route",
        ),
    ]


def _relation_facts(item: Article) -> list[Fact]:
    """The partnership with OpenAI and Microsoft's investment with its amount."""
    s, names = item.story, item.slots("en")
    investment = s.iri("relation", "-microsoft-investment")
    return [
        Fact(
            s.iri("relation", "-openai-partnership"),
            "Partnership",
            f"{names['company']}–OpenAI partnership",
            [(AIA + "party", s.iri("org")), (AIA + "party", "org/openai")],
            "partnership",
        ),
        Fact(
            investment,
            "Investment",
            f"Microsoft invests in {names['company']}",
            [
                (AIA + "fromParty", "org/microsoft"),
                (AIA + "toParty", s.iri("org")),
                (SCHEMA + "startDate", typed(str(s.year), "gYear")),
            ],
            "investment",
        ),
        Fact(
            s.iri("quantity", "-microsoft-investment"),
            "Quantity",
            f"Microsoft’s investment in {names['company']}",
            [
                (SCHEMA + "value", typed(str(s.amount * 1_000_000), "integer")),
                (SCHEMA + "unitText", en("US dollars")),
                (AIA + "quantityOf", investment),
            ],
            "investment",
        ),
    ]


def _people_facts(item: Article) -> list[Fact]:
    """The chief executive's role, statement ("this week") and opinion."""
    s, names = item.story, item.slots("en")
    ceo, restriction = s.iri("person", "-ceo"), s.iri("policy")
    return [
        Fact(
            s.iri("membership", "-ceo"),
            "Membership",
            f"{names['ceo']}, chief executive of {names['company']}",
            [
                (ORG + "member", ceo),
                (ORG + "organization", s.iri("org")),
                (ORG + "role", "role/ceo"),
            ],
            "statement",
        ),
        Fact(
            s.iri("event", "-ceo-confirms"),
            "Event",
            f"{names['ceo']} confirms the plan",
            [
                (AIA + "eventType", AIA + "Statement"),
                (AIA + "actor", ceo),
                (AIA + "concerns", restriction),
                (AIA + "note", en("“This week”" + RELATIVE)),
            ],
            "statement",
            relative="SameWeek",
        ),
        Fact(
            s.iri("claim", "-protects-users"),
            "Claim",
            f"{names['ceo']}: the change protects users",
            [
                (AIA + "claimant", ceo),
                (AIA + "about", restriction),
                (SCHEMA + "text", en("The change protects our users.")),
            ],
            "opinion",
            certainty="Opinion",
        ),
    ]


def _offer_facts(item: Article) -> list[Fact]:
    """The rival's migration offer and its free tokens (as many as this article says)."""
    s, names = item.story, item.slots("en")
    offer, tokens = s.iri("offer"), s.iri("quantity", "-free-tokens")
    return [
        Fact(
            offer,
            "MigrationOffer",
            f"{names['rival']} offers free tokens to developers who move to {names['model']}",
            [
                (AIA + "actor", s.iri("org", "-rival")),
                (AIA + "service", s.iri("product", "-model")),
                (AIA + "audience", AIA + "Developers"),
                (AIA + "respondsTo", s.iri("policy")),
                (AIA + "freeTokens", tokens),
            ],
            "offer",
        ),
        Fact(
            tokens,
            "Quantity",
            f"Free tokens {names['rival']} offers",
            [
                (SCHEMA + "value", typed(str(item.tokens), "integer")),
                (SCHEMA + "unitText", en("tokens")),
                (AIA + "quantityOf", offer),
            ],
            "offer",
        ),
    ]


def _own_facts(item: Article) -> list[Fact]:
    """What only this article reports: the analysts' prediction, the e-mail ("last month")."""
    s, own = item.story, f"synthetic-article-{item.index:05d}"
    return [
        Fact(
            f"claim/{own}-domestic-models",
            "Claim",
            "Analysts: developers will move to domestic models",
            [
                (AIA + "about", s.iri("policy")),
                (SCHEMA + "text", en("The move will push developers toward domestic models.")),
                (AIA + "note", en("Attributed to unnamed analysts.")),
            ],
            "prediction",
            certainty="Predicted",
        ),
        Fact(
            f"event/{own}-email",
            "Event",
            "Developers are e-mailed about the change",
            [
                (AIA + "eventType", AIA + "Notification"),
                (AIA + "actor", s.iri("org")),
                (AIA + "concerns", s.iri("policy")),
                (AIA + "note", en("“Last month”" + RELATIVE)),
            ],
            "email",
            relative="PreviousMonth",
        ),
    ]


def _supports(fact: Fact) -> list[str]:
    """Return the properties a fact's sentence backs: its type and every value it states."""
    stated = {predicate for predicate, _ in fact.values} - {AIA + "note"}
    return [RDF + "type", *sorted(stated)]


def article_file(item: Article, vocabulary: Vocabulary) -> bytes:
    """Return the article's Turtle: its metadata, role and facts, each with its quote."""
    out = Writer()
    support = vocabulary.supports
    _metadata(item, out, support)
    role = iri("role/ceo")
    out.add(role, RDF + "type", AIA + "Role")
    out.add(role, RDFS + "label", en("chief executive officer"))
    for fact in facts(item):
        node = iri(fact.path)
        out.add(node, RDF + "type", AIA + fact.cls)
        out.add(node, RDFS + "label", en(fact.label))
        out.add(node, AIA + "certainty", AIA + fact.certainty)
        for predicate, value in fact.values:
            out.add(node, predicate, value)
        quote = ox.Literal(item.sentence(fact.sentence), language=item.language)
        out.evidence(
            node, quote, item.sentence(fact.sentence, "en"), _supports(fact) if support else []
        )
    if vocabulary.time_expressions:
        _time_expressions(item, out)
    return out.turtle()


def _metadata(item: Article, out: Writer, support: bool) -> None:
    """Add the article's own description: headline, language, seed, byline."""
    this = iri(f"article/{item.slug}")
    lang, s = item.language, item.story
    out.add(this, RDF + "type", AIA + "Article")
    out.add(this, RDFS + "label", en(f"Synthetic article {item.index} ({lang}), story {s.number}"))
    out.add(this, AIA + "certainty", AIA + "Reported")
    out.add(this, SCHEMA + "headline", ox.Literal(item.sentence("headline"), language=lang))
    out.add(this, SCHEMA + "inLanguage", ox.Literal(lang))
    out.add(this, AIA + "seedFile", ox.Literal(item.seed))
    out.add(this, SCHEMA + "datePublished", date(item.published))
    out.add(this, SCHEMA + "author", f"person/synthetic-article-{item.index:05d}-author")
    out.add(this, SCHEMA + "publisher", s.iri("org", "-wire"))
    byline = [SCHEMA + "author", SCHEMA + "datePublished", SCHEMA + "publisher"]
    for key, supports in (("headline", [SCHEMA + "headline"]), ("byline", byline)):
        quote = ox.Literal(item.sentence(key), language=lang)
        out.evidence(this, quote, item.sentence(key, "en"), supports if support else [])


def _time_expressions(item: Article, out: Writer) -> None:
    """Add each date the article gives as a time expression (stated or relative)."""
    article = f"article/{item.slug}"
    dated = [(article, SCHEMA + "datePublished", "byline", date(item.published))] + [
        (fact.path, SCHEMA + "startDate", fact.sentence, value)
        for fact in facts(item)
        for predicate, value in fact.values
        if predicate == SCHEMA + "startDate" and isinstance(value, ox.Literal)
    ]
    for number, (path, prop, key, value) in enumerate(dated):
        node = _timex(item, out, number, path, prop, key)
        out.add(node, AIA + "statedValue", value)
    relative = [fact for fact in facts(item) if fact.relative]
    for number, fact in enumerate(relative, start=len(dated)):
        node = _timex(item, out, number, fact.path, SCHEMA + "startDate", fact.sentence)
        out.add(node, AIA + "anchor", article)
        out.add(node, AIA + "relativePeriod", AIA + str(fact.relative))


def _timex(item: Article, out: Writer, number: int, path: str, prop: str, key: str) -> ox.NamedNode:
    """Add the common part of one time expression and return its IRI."""
    node = iri(f"timex/{item.slug}-{number}")
    out.add(node, RDF + "type", AIA + "TimeExpression")
    out.add(node, RDFS + "label", en(f"When: {path} ({prop.rsplit('/', 1)[-1]})"))
    out.add(node, AIA + "timeOf", path)
    out.add(node, AIA + "timeProperty", prop)
    quote = ox.Literal(item.sentence(key), language=item.language)
    out.evidence(node, quote, item.sentence(key, "en"), [])
    return node


REGISTRY_KINDS = {
    # story entity: (path suffix, class, name kind)
    "company": ("org", "", "Organization"),
    "product": ("product", "", "Product"),
    "ceo": ("person", "-ceo", "Person"),
    "rival": ("org", "-rival", "Organization"),
    "model": ("product", "-model", "Product"),
}


def registry_file(items: list[Article]) -> bytes:
    """Return the registry: the shared entities, then each story's and each author's."""
    out = Writer()
    present = {item.language for item in items}
    for path, (cls, english, forms) in SHARED_NAMES.items():
        written = {lang: form for lang, form in forms.items() if lang in present}
        _entity(out, path, cls, english, written)
    stories = {item.story.number: item.story for item in items}
    for story in stories.values():
        languages = [i.language for i in items if i.story.number == story.number]
        for kind, (prefix, suffix, cls) in REGISTRY_KINDS.items():
            forms = {lang: entity_name(kind, story.number, lang) for lang in languages}
            _entity(
                out, story.iri(prefix, suffix), cls, entity_name(kind, story.number, "en"), forms
            )
        out.add(iri(story.iri("product")), SCHEMA + "manufacturer", story.iri("org"))
        out.add(
            iri(story.iri("product", "-model")), SCHEMA + "manufacturer", story.iri("org", "-rival")
        )
        outlet = f"{entity_name('company', story.number, 'en').split()[0]} Wire"
        _entity(
            out, story.iri("org", "-wire"), "MediaOutlet", outlet, dict.fromkeys(languages, outlet)
        )
    for item in items:
        author = entity_name("author", item.index, item.language)
        _entity(
            out,
            f"person/synthetic-article-{item.index:05d}-author",
            "Person",
            entity_name("author", item.index, "en"),
            {item.language: author},
        )
    return out.turtle()


def _entity(out: Writer, path: str, cls: str, english: str, forms: dict[str, str]) -> None:
    """Add one registry entity: class, English name, and its name in each language."""
    node = iri(path)
    out.add(node, RDF + "type", AIA + cls)
    out.add(node, RDFS + "label", en(english))
    for language, form in forms.items():
        if language != "en":
            out.add(node, RDFS + "label", ox.Literal(form, language=language))
        out.add(node, AIA + "surfaceForm", ox.Literal(form, language=language))


def generate(count: int, out: Path, seed: int = 0) -> list[Article]:
    """Write a data folder of ``count`` articles into ``out`` (replacing it); return them.

    :raises OSError: if ``out`` cannot be written.
    """
    shutil.rmtree(out, ignore_errors=True)
    shipped = default_resources()
    shutil.copytree(shipped.root / "ontology", out / "ontology")
    shutil.copytree(shipped.queries, out / "queries")
    (out / "seeds").mkdir(parents=True)
    (out / "data" / "articles").mkdir(parents=True)
    vocabulary = Vocabulary.of(out / "ontology" / "aiaccess.ttl")
    items = corpus(count, seed)
    sums = []
    for item in items:
        text = item.text().encode()
        (out / "seeds" / item.seed).write_bytes(text)
        sums.append(f"{hashlib.sha256(text).hexdigest()}  {item.seed}\n")
        (out / "data" / "articles" / f"{item.slug}.ttl").write_bytes(article_file(item, vocabulary))
    (out / "data" / "registry.ttl").write_bytes(registry_file(items))
    (out / "seeds" / "SHA256SUMS").write_text("".join(sorted(sums)), encoding="utf-8")
    return items


def main() -> int:
    """Generate the corpus the command line asks for."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, required=True, help="number of articles (N)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    options = parser.parse_args()
    if options.articles < 1:
        parser.error("--articles must be at least 1")
    generate(options.articles, options.out, options.seed)
    print(f"wrote {options.articles} articles to {options.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
