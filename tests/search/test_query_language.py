"""The websearch-style query language: parsing, the FTS5 translation, and cleaning of raw input."""

from hypothesis import given
from hypothesis import strategies as st

from search.query import MAX_QUERY_LENGTH, clean_query, fts5_exclusion, parse, to_fts5


def test_words_phrases_exclusions_and_or():
    parsed = parse('library "Friern Barnet" -grants or artsdepot')
    assert len(parsed.groups) == 2
    first, second = parsed.groups
    assert [t.words for t in first.include] == [("library",), ("friern", "barnet")]
    assert [t.words for t in first.exclude] == [("grants",)]
    assert [t.words for t in second.include] == [("artsdepot",)]
    assert to_fts5(parsed) == '(("library" AND "friern barnet") NOT "grants") OR ("artsdepot")'


def test_operators_alone_and_unbalanced_quotes_give_safe_queries():
    assert parse("or").is_empty
    assert parse("-").is_empty
    assert parse('"').is_empty
    assert parse("or or -").is_empty
    assert to_fts5(parse('"friern barnet')) == '("friern barnet")'
    assert to_fts5(parse("title:(a OR")) == '("title")'
    assert to_fts5(parse("'; DROP TABLE x; --")) == '("drop" AND "table" AND "x")'
    assert to_fts5(parse('NEAR(a b) * \\ "')) == '("near" AND "b")'


def test_only_exclusions():
    parsed = parse("-library")
    assert parsed.only_exclusions
    assert fts5_exclusion(parsed) == '"library"'


def test_stop_words_are_dropped_like_postgresql():
    assert parse("the of and").is_empty
    assert [t.words for t in parse("the library").groups[0].include] == [("library",)]


def test_clean_query_truncates_and_strips_control_characters():
    text, truncated = clean_query("a" * 10_000)
    assert truncated and len(text) == MAX_QUERY_LENGTH
    assert clean_query("  library\x00 \ue000strategy  ") == ("library strategy", False)


@given(st.text(max_size=300))
def test_any_text_parses_to_a_quoted_fts5_expression(text):
    expression = to_fts5(parse(clean_query(text)[0]))
    # Every term is a double-quoted string of word characters: no FTS5 syntax can leak in.
    for part in expression.replace("(", " ").replace(")", " ").split('"')[1::2]:
        assert all(ch.isalnum() or ch in " _" for ch in part)
