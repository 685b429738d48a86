"""Folding, CJK bigrams, query compilation and highlighting used by FTS5."""

from __future__ import annotations

import pytest

from content_hub.search._text import (
    bigrams,
    compound_parts,
    fold,
    highlight,
    index_text,
    parse_query,
    query_tokens,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Über FÜR", "uber fur"),
        ("Søknad Ærlig blåbær Œuvre", "soknad aerlig blabaer oeuvre"),
        ("Straße", "straße"),
        ("Café élèves", "cafe eleves"),
        ("中文", "中文"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_cjk_runs_become_bigrams() -> None:
    assert bigrams("搜索引擎") == ["搜索", "索引", "引擎"]
    assert bigrams("中") == ["中"]
    assert index_text("Meilisearch中文搜索, Über") == "meilisearch 中文 文搜 搜索 uber"


def test_compound_parts_are_suffixes_of_long_words() -> None:
    parts = compound_parts(("Lastenfahrrad mieten",)).split()
    assert "fahrrad" in parts
    assert "rrad" in parts
    assert "mieten" not in parts  # short words are not split


class TestParseQuery:
    def test_words_are_literals_and_the_last_is_a_prefix(self) -> None:
        parsed = parse_query('Fahrrad "OR" NEAR(x)')
        assert parsed.match is not None
        assert ' OR parts : "fahrrad"*' in parsed.match
        assert '"or"' in parsed.match  # the operator is now a word
        assert '{title summary body} : "near" OR parts' in parsed.match
        assert parsed.match.endswith('{title summary body} : "x"*')

    def test_quotes_cannot_escape(self) -> None:
        parsed = parse_query('a"" OR b')
        assert parsed.match is not None
        assert parsed.match.count('"') % 2 == 0

    def test_chinese_becomes_a_bigram_phrase(self) -> None:
        assert (
            parse_query("搜索引擎").match == '{title summary body} : "搜索 索引 引擎"'
        )

    def test_phrase_and_negation(self) -> None:
        parsed = parse_query('"tram runs" -bus')
        assert parsed.match == (
            '({title summary body} : "tram runs") NOT (({title summary body} : "bus"))'
        )
        only_negative = parse_query("-bus")
        assert only_negative.match is None
        assert only_negative.exclude is not None

    def test_no_words(self) -> None:
        assert parse_query(' " ( * ').match is None
        assert parse_query("").exclude is None


class TestHighlight:
    def test_marks_words_and_escapes(self) -> None:
        snippet, marked = highlight("<b>Über</b> uns & mehr", query_tokens("uber"))
        assert marked
        assert snippet == "&lt;b&gt;<mark>Über</mark>&lt;/b&gt; uns &amp; mehr"

    def test_prefix_marks_the_whole_word(self) -> None:
        snippet, _ = highlight("Running searches", query_tokens("run"))
        assert snippet == "<mark>Running</mark> searches"

    def test_non_last_words_must_be_whole(self) -> None:
        snippet, _ = highlight("runs and run", query_tokens("run x"))
        assert snippet == "runs and <mark>run</mark>"

    def test_cjk_substring(self) -> None:
        snippet, _ = highlight("这是中文测试", query_tokens("中文"))
        assert snippet == "这是<mark>中文</mark>测试"

    def test_compound_substring_only_when_asked(self) -> None:
        tokens = query_tokens("fahrrad")
        assert highlight("Lastenfahrrad", tokens)[1] is False
        assert highlight("Lastenfahrrad", tokens, substrings=True)[0] == (
            "Lasten<mark>fahrrad</mark>"
        )

    def test_expanding_folds_keep_offsets(self) -> None:
        snippet, _ = highlight("Ærlig og ærlig", query_tokens("aerlig"))
        assert snippet == "<mark>Ærlig</mark> og <mark>ærlig</mark>"

    def test_crop_around_the_first_match(self) -> None:
        text = " ".join(f"word{i}" for i in range(200)) + " needle " + "tail " * 50
        snippet, marked = highlight(text, query_tokens("needle"), crop=80)
        assert marked
        assert snippet.startswith("…")
        assert snippet.endswith("…")
        assert "<mark>needle</mark>" in snippet
        assert len(snippet) < 140
