"""The query language people already know (PostgreSQL's websearch_to_tsquery): words, "phrases", -excluded, or.

Parsed once into a safe structure that SQLite FTS5 and Elasticsearch render; PostgreSQL parses the text itself.
"""

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 500

# PostgreSQL's English stop words (snowball), so SQLite drops the same words PostgreSQL ignores.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while of
    at by for with about against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each few more most other
    some such no nor not only own same so than too very s t can will just don should now""".split()
)

_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001\ud800-\udfff]")


def clean_query(text, max_length=MAX_QUERY_LENGTH):
    """The query as it will be searched: control characters out, whitespace collapsed, at most max_length.

    Returns (text, truncated).
    """
    text = _UNSAFE.sub(" ", text or "")
    text = " ".join(text.split())
    if len(text) > max_length:
        return text[:max_length].rstrip(), True
    return text, False


@dataclass
class Term:
    words: tuple
    phrase: bool = False


@dataclass
class Group:
    """Terms that must all match (AND), and terms that must not."""

    include: list = field(default_factory=list)
    exclude: list = field(default_factory=list)


@dataclass
class ParsedQuery:
    """Groups joined by OR; an empty query has no groups."""

    groups: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not any(g.include or g.exclude for g in self.groups)

    @property
    def positive_groups(self):
        return [g for g in self.groups if g.include]

    @property
    def only_exclusions(self):
        """Every group is negative only ("-library"): everything without those words."""
        return not self.is_empty and not self.positive_groups


def _words(text, drop_stop_words):
    words = [w.lower() for w in _WORD.findall(text)]
    if drop_stop_words:
        words = [w for w in words if w not in STOP_WORDS]
    return tuple(words)


def parse(text):
    """Parse websearch-style text; never raises, whatever the input."""
    groups = [Group()]
    pending_or = False
    for match in _TOKEN.finditer(text or ""):
        neg_quote, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or":
                pending_or = True
                continue
            negative = bare.startswith("-")
            words = _words(bare.lstrip("-"), drop_stop_words=True)
            term = Term(words, phrase=len(words) > 1)
        else:
            negative = bool(neg_quote)
            words = _words(quoted, drop_stop_words=False)
            if all(w in STOP_WORDS for w in words):
                words = ()
            term = Term(words, phrase=len(words) > 1)
        if not term.words:
            continue
        current = groups[-1]
        if pending_or and (current.include or current.exclude):
            current = Group()
            groups.append(current)
        pending_or = False
        (current.exclude if negative else current.include).append(term)
    return ParsedQuery([g for g in groups if g.include or g.exclude])


def _fts5_term(term):
    # Only \w characters reach here, so wrapping in double quotes is always a safe FTS5 string.
    return '"' + " ".join(term.words) + '"'


def to_fts5(parsed):
    """The FTS5 MATCH expression of the positive groups, or "" when there is none.

    Negative-only groups cannot stand alone in FTS5; they are handled by `fts5_exclusion` (whole query negative)
    or dropped when other groups match ("a or -b" searches for "a").
    """
    parts = []
    for group in parsed.positive_groups:
        expr = " AND ".join(_fts5_term(t) for t in group.include)
        for term in group.exclude:
            expr = f"({expr}) NOT {_fts5_term(term)}"
        parts.append(f"({expr})")
    return " OR ".join(parts)


def fts5_exclusion(parsed):
    """For a negative-only query: the FTS5 expression of the words to exclude."""
    terms = [t for g in parsed.groups for t in g.exclude]
    return " OR ".join(_fts5_term(t) for t in terms)
