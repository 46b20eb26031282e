"""Find cases by what a clerk remembers: a party's name, an ID number or phone (whole or its last
4–6 digits), the case number or its sequence part, or a word of the title or the facts.

The query is split on white space; a case matches when every word matches somewhere. Each word is
searched literally: ``%``, ``_``, ``"``, ``*``, quotes, ``AND``/``OR``/``NEAR(``, ``^``, ``:``
and ``-`` are characters like any other, bound as parameters or quoted for FTS5, never operators.

Best matches first: an exact ID number, phone or case number (or the last digits of an ID number
or phone, or the sequence part of a case number) › a party named exactly so › a party whose name
begins with it › the title contains it › the facts or a party's name contain it; within a rank the
most recently registered case first. A one-character word that is a letter, digit or Chinese
character is a surname (or initial): names beginning with it, never every text containing it — a
single 张 occurs in a tenth of a county's cases; a one-character punctuation mark (``%``, ``"``,
``*`` …) is searched everywhere like a longer word.

Indexes (migration 0008), kept in step by the database itself on every write:

* SQLite: contentless FTS5 ``trigram`` tables over titles and facts and over party names, ID
  numbers and phones, maintained by triggers. Every indexed value ends in two U+001F: so a phrase
  ``"1234␟␟"`` means "ends in 1234", and every one- or two-character string of the text begins some
  indexed trigram. The trigram tokenizer returns nothing for a query under three characters, so a
  two-character word is looked up in the index's vocabulary (``fts5vocab``: the trigrams that begin
  with it) and searched as the OR of those trigrams.
* PostgreSQL: GIN indexes over ``search_grams(column)`` — the column's distinct lower-cased bigrams
  and ASCII punctuation marks — narrowed to candidates by ``@>`` and checked by an escaped
  ``LIKE``. pg_trgm would extract no trigram from ``LIKE '%张伟%'`` (measured with the C.UTF-8
  test cluster: a sequential scan, while ``'%张伟明%'`` and ``'张伟%'`` use its index).

A page never ranks every hit of a common word: each source keeps only its newest offset + limit
cases (see ``_Builder.hits``), and on PostgreSQL a word's title/facts/name hits are first looked
for among the newest ``RECENT_WINDOW`` cases (a GIN index yields a common word's 100,000 hits
unordered). On SQLite one word's page is first ranked among the newest cases, with the actor's
and the list's conditions (``_newest_first``: windows of 4,000, 32,000 … cases, kept when no older
case has a better rank than the page's worst). Otherwise, with a condition on the cases (a
mediator's teams, the case list's other filters), every hit is ranked — unless the person may see
few cases (a township's people: ``few_visible_ids``): then, on both databases, every source is
read among those cases only (``_among_few``), so a word common elsewhere costs them nothing.

Counting one word's cases: the title-and-facts hits are the bulk for a common word, so they are
taken from an index, not counted row by row — on SQLite FTS5's own count; on PostgreSQL the
``search_gram_count`` table of migration 0010 (cases per substring of up to three characters,
kept exact by triggers), because counting a GIN index's hits visits each row on the heap (130–370
ms for a word in a sixth of a million cases). The few cases found only by a name or a number are
then added one by one. Longer words, several words and restricted counts take the union.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, TextClause, bindparam, column, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import True_
from sqlalchemy.sql.selectable import Subquery, TextualSelect

from ..models import CaseState, DisputeCase, Party, PartyRole
from . import audit, digits, permissions, visible_parts
from .actor import Actor

#: What ends every indexed value on SQLite (see the module docstring).
END = "\x1f\x1f"
#: Characters searched everywhere even alone.
PUNCTUATION = frozenset(string.punctuation)
#: Longest word and most words taken from a query: more is a paste accident, not a search.
MAX_WORD = 100
MAX_WORDS = 8
#: A two-character word begins at most this many distinct trigrams before SQLite searches by LIKE.
MAX_TERMS = 4000
#: Up to this many title-and-facts hits SQLite counts all sources together; above it, the FTS5 count
#: plus the other sources' cases checked one by one (there are few when the text hits are many).
COUNT_BY_UNION = 20_000
#: An FTS5 source kept to a few cases is read by this many rowid-range lookups at most (runs of
#: consecutive ids times the expression's terms); beyond, its doclist is read and filtered.
FTS_LOOKUPS = 64
#: ... and never more lookups than one compound SELECT may hold (SQLite's limit is 500 terms).
_MAX_RUNS = 400
#: PostgreSQL looks for a page of a word's hits among this many newest cases first.
RECENT_WINDOW = 3_000

_IDENT = re.compile(r"[0-9]+[xX]?")
_FULL_WIDTH_IDENT = re.compile(r"[0-9０-９]+[xXｘＸ]?")


class Rank:
    """Why a case matched, best first."""

    IDENTIFIER = 0
    NAME = 1
    NAME_PREFIX = 2
    TITLE = 3
    TEXT = 4


RANK_LABELS = {
    Rank.IDENTIFIER: "案号/证件号/电话",
    Rank.NAME: "当事人姓名",
    Rank.NAME_PREFIX: "当事人姓名开头",
    Rank.TITLE: "案件名称",
    Rank.TEXT: "事实/姓名包含",
}


@dataclass(frozen=True)
class SearchHit:
    case_id: int
    number: str
    title: str
    state: CaseState
    received_at: datetime
    #: Every party's name in the case's order (applicants first), for display and highlighting.
    parties: tuple[str, ...]
    rank: int
    #: The words of the query, to be highlighted where they occur in the number, title and names.
    matched: tuple[str, ...]

    @property
    def reason(self) -> str:
        return RANK_LABELS[self.rank]


def words_of(query: str) -> tuple[str, ...]:
    """The words searched for, as typed (the UI highlights these)."""
    words: list[str] = []
    # Control characters cannot be typed, PostgreSQL refuses NUL, and U+001F ends indexed values;
    # a lone surrogate (from undecodable bytes on a command line) cannot be sent to a database.
    query = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in query)
    for typed in query.split():
        word = typed[:MAX_WORD]
        if word and word not in words:
            words.append(word)
    return tuple(words[:MAX_WORDS])


def highlight_spans(value: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, length) of every case-insensitive occurrence of the words in ``value``, merged."""
    folded = value.lower()
    spans: list[tuple[int, int]] = []
    for word in words:
        needle = word.lower()
        start = folded.find(needle)
        while needle and start >= 0:
            spans.append((start, start + len(needle)))
            start = folded.find(needle, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return [(s, e - s) for s, e in merged]


# --------------------------------------------------------------------------- query building


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_string(value: str) -> str:
    """An FTS5 string literal: inside double quotes nothing is an operator; quotes are doubled."""
    return '"' + value.replace('"', '""') + '"'


def _json_ids(ids: list[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def _runs(ids: list[int]) -> list[tuple[int, int]]:
    """Sorted ids as runs of consecutive ids: (first, last) each."""
    runs: list[tuple[int, int]] = []
    for i in ids:
        if runs and i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i)
        elif not runs or i > runs[-1][1]:
            runs.append((i, i))
    return runs


def _bigrams(value: str) -> list[str]:
    if len(value) == 1:
        return [value]
    return sorted({value[i:i + 2] for i in range(len(value) - 1)})


#: Migration 0032's lookups of a text source under row-level security, by (table, column).
_GUARDED_TEXT = {("dispute_case", "title"): "md_search_titles", ("dispute_case", "facts"): "md_search_facts",
                 ("party", "name"): "md_search_party_names"}


def row_security_active(session: Session) -> bool:
    """Whether the server's row-level security applies to this session's connection (an account's
    own login role; not the owner or the desk role). Under it PostgreSQL checks a query's own
    conditions after the policies unless their operators are LEAKPROOF — ``LIKE`` and ``@>`` are
    not — so the search indexes would go unused: the lookups then go through migration 0032's
    SECURITY DEFINER functions, which return only the ids of cases the account may read. Asked
    once per connection."""
    connection = session.connection()
    known = connection.info.get("md_row_security")
    if known is None:
        known = bool(session.execute(text("SELECT row_security_active('dispute_case')")).scalar())
        connection.info["md_row_security"] = known
    return bool(known)


class _Builder:
    """Collects the SQL of one query: (case_id, rank, word) rows from each index, with parameters."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.params: dict[str, Any] = {}
        self.parts: list[str] = []
        self._years: tuple[int, int] | bool | None = False
        #: Each source keeps only its newest ``top`` cases (a page's worth: see ``hits``).
        self.top: int | None = None
        #: Counting, not ranking: titles and facts are one FTS5 source, kept apart in ``case_text``.
        self.counting = False
        self.case_text: str | None = None
        self._window: int | bool | None = False
        self._filled: bool | None = None
        #: SQLite's newest-first ranking (``_newest_first``): only cases above ``floor``; or only
        #: those at most ``ceiling``, from the sources of a rank below ``below``.
        self.floor: int | None = None
        self.ceiling: int | None = None
        self.below: int | None = None
        #: SQLite's visible-first ranking (``_among_few``): only these cases (sorted ids), every
        #: source driven by them, not by the word's hits.
        self.within: list[int] | None = None
        self._within_sql: str | None = None
        self._within_parties: list[int] | None = None
        self._party_sql = ""
        #: Row-level security applies to the connection (an account's own login role on a server):
        #: the index lookups go through migration 0032's functions (see ``_lookup``).
        self.guarded = not self.sqlite and row_security_active(session)

    def _param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def _add(self, sql: str, rank: int, word_index: int) -> None:
        if self.below is not None and rank >= self.below:
            return
        # The column the source selects as case_id, e.g. "rowid" of an FTS5 table, which then
        # walks its index backwards and stops after ``top`` rows.
        key = sql[len("SELECT "):sql.index(" FROM ")].removesuffix(" AS case_id")
        if self.within is not None:
            sql, key = self._within_source(sql, key), "case_id"
        elif self.floor is not None or self.ceiling is not None:
            sql, key = self._bounded(sql, key), "case_id"
        if self.top is not None:
            # A party's table holds a case once per party: the cut keeps ``top`` distinct cases.
            distinct = "" if key in ("rowid", "id") else "DISTINCT "
            sql = f"SELECT {distinct}{sql[len('SELECT '):]} ORDER BY {key} DESC LIMIT {self.top}"
        self.parts.append(f"SELECT case_id, {rank} AS rank, {word_index} AS word FROM ({sql}) AS s{len(self.parts)}")

    def _bounded(self, sql: str, key: str) -> str:
        """A source kept to the cases above ``floor`` (the newest) or at most ``ceiling``."""
        if self.floor is not None:
            bound = f"case_id > {int(self.floor)}"
            if key == "p.case_id":
                # The FTS5 table is keyed by the party's id: start its doclist at the first party
                # of the window's cases (the least id among them, so none is missed).
                first = self.session.scalar(text(
                    f"SELECT min(id) FROM party INDEXED BY ix_party_case_id WHERE case_id > {int(self.floor)}"))
                rows = f" AND f.rowid >= {int(first)}" if first is not None else " AND 0"
                sql = sql.replace("SELECT p.case_id", "SELECT p.case_id AS case_id", 1)
                return f"{sql} AND p.case_id > {int(self.floor)}{rows}"
            if " FROM party WHERE name >= " in sql and self._prefix_outnumbers(sql, self.floor):
                # A common surname's range holds a tenth of the parties: walk the window's parties
                # (a rare one's few rows are read from the name index, as the planner would).
                sql = sql.replace(" FROM party WHERE ", " FROM party INDEXED BY ix_party_case_id WHERE ", 1)
        else:
            bound = f"case_id <= {int(self.ceiling or 0)}"
        return f"SELECT case_id FROM ({sql}) AS b{len(self.parts)} WHERE {bound}"

    def _within_source(self, sql: str, key: str) -> str:
        """A source kept to the cases ``within``, read from them where the word's hits may be many.

        An FTS5 table is read by rowid range: one lookup per run of consecutive ids when the runs
        times the expression's terms are few (each lookup parses the expression and opens every
        term's doclist: ~20 µs a term), else its doclist is read whole and each rowid checked
        (~0.1 µs a hit, no row read) — never ``rowid IN (…)`` with ``MATCH``, which is a lookup
        per id. A name range or ``LIKE`` walks the parties of those cases, an equality its own index.
        PostgreSQL: each source with ``= ANY(ids)`` on its case id; the planner reads those by key."""
        if not self.sqlite:
            column_name = "case_id" if " FROM party WHERE " in sql else "id"
            ids = self._param(list(self.within or []))
            head, where = sql.split(" WHERE ", 1)
            return f"{head} WHERE ({where}) AND {column_name} = ANY(CAST({ids} AS integer[]))"
        if key == "rowid":  # search_case_fts: rowid is the case id
            return self._fts_within(sql, "rowid", self.within or [], self._within_ids)
        if key == "p.case_id":  # search_party_fts joined to its parties: rowid is the party id
            inner = sql[sql.index(" WHERE ") + len(" WHERE "):]
            fts = self._fts_within(f"SELECT f.rowid AS case_id FROM search_party_fts f WHERE {inner}", "f.rowid",
                                   self._within_party_list(), self._within_parties_ids)
            return f"SELECT p.case_id AS case_id FROM ({fts}) AS q JOIN party p ON p.id = q.case_id"
        ids = self._within_ids()
        where = sql[sql.index(" WHERE ") + len(" WHERE "):]
        if sql.startswith("SELECT id AS case_id FROM dispute_case WHERE "):
            return f"SELECT id AS case_id FROM dispute_case WHERE ({where}) AND id IN {ids}"
        if sql.startswith("SELECT case_id FROM party WHERE "):
            if " = " in where and " LIKE " not in where and " >= " not in where:
                return f"SELECT case_id FROM party WHERE ({where}) AND case_id IN {ids}"
            if " >= " in where and not self._range_outnumbers(sql, 3 * len(self.within or [])):
                # A rare name's few entries of the name index, fewer than the cases' parties.
                return f"SELECT case_id FROM party INDEXED BY ix_party_name WHERE ({where}) AND case_id IN {ids}"
            return f"SELECT case_id FROM party INDEXED BY ix_party_case_id WHERE case_id IN {ids} AND ({where})"
        raise AssertionError(f"no visible-first form for the source {sql!r}")

    def _within_ids(self) -> str:
        if self._within_sql is None:
            self._within_sql = f"(SELECT value FROM json_each({self._param(_json_ids(self.within or []))}))"
        return self._within_sql

    def _within_party_list(self) -> list[int]:
        """The ids of the parties of the cases ``within``, sorted."""
        if self._within_parties is None:
            self._within_parties = sorted(self.session.execute(text(
                "SELECT id FROM party INDEXED BY ix_party_case_id "
                "WHERE case_id IN (SELECT value FROM json_each(:ids))"), {"ids": _json_ids(self.within or [])}
            ).scalars().all())
        return self._within_parties

    def _within_parties_ids(self) -> str:
        if not self._party_sql:
            self._party_sql = f"(SELECT value FROM json_each({self._param(_json_ids(self._within_party_list()))}))"
        return self._party_sql

    def _fts_within(self, sql: str, rowid: str, ids: list[int], listed: Callable[[], str]) -> str:
        if not ids:
            return f"{sql} AND 0"
        match = re.search(r"MATCH (:p[0-9]+)", sql)
        expression = str(self.params[match.group(1)[1:]]) if match else ""
        terms = expression.count(" OR ") + 1
        runs = _runs(ids)
        # A lookup costs about what reading 200 ids' worth of doclist does: past FTS_LOOKUPS, the
        # lookups are still taken when the ids are spread so wide that reading between them costs more.
        span = ids[-1] - ids[0] + 1
        if len(runs) * terms <= max(FTS_LOOKUPS, span // 200) and len(runs) <= _MAX_RUNS:
            return " UNION ALL ".join(f"{sql} AND {rowid} BETWEEN {lo} AND {hi}" for lo, hi in runs)
        # The doclist between the least and the greatest id, each rowid checked (no index: ``+``).
        return f"{sql} AND {rowid} BETWEEN {ids[0]} AND {ids[-1]} AND +{rowid} IN {listed()}"

    def _prefix_outnumbers(self, sql: str, floor: int) -> bool:
        """Whether a name prefix's range (``sql``) holds more parties than the cases above ``floor``
        have (about three a case): counted in the name index, at most that many entries read."""
        newest = self.session.scalar(select(func.max(DisputeCase.id)))
        return self._range_outnumbers(sql, 3 * max(int(newest or 0) - floor, 1))

    def _range_outnumbers(self, sql: str, bound: int) -> bool:
        """Whether a name prefix's range (``sql``) holds at least ``bound`` parties: counted in the
        name index, at most that many entries read."""
        bound = max(bound, 1)
        used = {k: v for k, v in self.params.items() if re.search(rf":{k}\b", sql)}
        entries = sql.replace("SELECT case_id FROM", "SELECT 1 FROM", 1)  # the index alone, no row read
        found = self.session.execute(text(f"SELECT count(*) FROM ({entries} LIMIT {bound}) AS r"), used).scalar()
        return int(found or 0) >= bound

    def _year_range(self) -> tuple[int, int] | None:
        if self._years is False:
            # Two queries: SQLite answers a lone min() or max() from the index, both together by a scan.
            low = self.session.scalar(select(func.min(DisputeCase.year)))
            high = self.session.scalar(select(func.max(DisputeCase.year)))
            self._years = (int(low), int(high)) if low is not None and high is not None else None
        return self._years if isinstance(self._years, tuple) else None

    # -- one word ------------------------------------------------------------------------------

    def add_word(self, word: str, index: int) -> None:
        folded = word.lower()
        self._identifiers(word, index)
        self._add(f"SELECT case_id FROM party WHERE name = {self._param(word)}", Rank.NAME, index)
        if self.sqlite:
            # A range on the name index: SQLite compares UTF-8 bytes and U+10FFFF sorts last.
            prefix = f"name >= {self._param(word)} AND name < {self._param(word + chr(0x10FFFF))}"
            self._add(f"SELECT case_id FROM party WHERE {prefix}", Rank.NAME_PREFIX, index)
        elif self.guarded:
            self._add(f"SELECT case_id FROM md_search_party_prefix({self._param(word)}) AS f (case_id)",
                      Rank.NAME_PREFIX, index)
        else:
            prefix = f"name LIKE {self._param(_like_escape(word) + '%')} ESCAPE '\\'"
            self._add(f"SELECT case_id FROM party WHERE {prefix}", Rank.NAME_PREFIX, index)
        if len(word) == 1 and word not in PUNCTUATION:
            return  # a surname or an initial: see the module docstring
        if self.sqlite:
            self._sqlite_text(folded, index)
        else:
            self._postgresql_text(folded, index)

    def _identifiers(self, word: str, index: int) -> None:
        # Numbers are stored with ASCII digits; full-width ones typed by an input method find them.
        # Other digits (٢, ², …) are not numbers here: int("²") would raise.
        word = digits.fold_width(word) if _FULL_WIDTH_IDENT.fullmatch(word) else word
        self._add(f"SELECT id AS case_id FROM dispute_case WHERE number = {self._param(word)}", Rank.IDENTIFIER, index)
        if not _IDENT.fullmatch(word):
            return
        upper = word.upper()
        self._add(f"SELECT case_id FROM party WHERE id_number = {self._param(upper)} "
                  f"OR phone = {self._param(word)}", Rank.IDENTIFIER, index)
        if 4 <= len(word) <= 6:
            if self.sqlite:
                # One U+001F is enough to mean "ends here" (only the end of a value holds one); the
                # trigram "4␟␟" would add a doclist of a tenth of all parties to the phrase.
                match = "{id_number phone} : " + _fts_string(word + END[0])
                self._add("SELECT p.case_id FROM search_party_fts f JOIN party p ON p.id = f.rowid "
                          f"WHERE search_party_fts MATCH {self._param(match)}", Rank.IDENTIFIER, index)
            elif self.guarded:
                for value, phone in ((upper, "false"), (word, "true")):
                    tail, whole = self._param(value[-4:]), self._param("%" + value)
                    self._add(f"SELECT case_id FROM md_search_party_tails({tail}, {whole}, {phone}) AS f (case_id)",
                              Rank.IDENTIFIER, index)
            else:
                tail, whole = self._param(upper[-4:]), self._param("%" + upper)
                self._add(f"SELECT case_id FROM party WHERE right(id_number, 4) = {tail} AND id_number LIKE {whole}",
                          Rank.IDENTIFIER, index)
                tail, whole = self._param(word[-4:]), self._param("%" + word)
                self._add(f"SELECT case_id FROM party WHERE right(phone, 4) = {tail} AND phone LIKE {whole}",
                          Rank.IDENTIFIER, index)
        years = self._year_range()
        if digits.is_ascii_digits(word) and len(word) <= 6 and years is not None:
            year_list = ", ".join(str(y) for y in range(years[0], years[1] + 1))
            self._add(f"SELECT id AS case_id FROM dispute_case WHERE year IN ({year_list}) "
                      f"AND seq = {self._param(int(word))}", Rank.IDENTIFIER, index)

    # -- text: SQLite --------------------------------------------------------------------------

    def _sqlite_match(self, folded: str, vocab: str) -> str | None:
        """The FTS5 expression for a literal substring, or None when LIKE must do."""
        if len(folded) >= 3:
            return _fts_string(folded)
        terms = self.session.execute(
            text(f"SELECT term FROM {vocab} WHERE term >= :lo AND term < :hi LIMIT {MAX_TERMS + 1}"),
            {"lo": folded, "hi": folded + chr(0x10FFFF)},
        ).scalars().all()
        if len(terms) > MAX_TERMS:
            return None
        if not terms:
            return "\"\x1f\x1f\x1f\""  # matches nothing: no value holds three U+001F
        return "(" + " OR ".join(_fts_string(t) for t in terms) + ")"

    def _sqlite_text(self, folded: str, index: int) -> None:
        case_match = self._sqlite_match(folded, "search_case_vocab")
        if case_match is None:
            pattern = self._param("%" + _like_escape(folded) + "%")
            self._add(f"SELECT id AS case_id FROM dispute_case WHERE title LIKE {pattern} ESCAPE '\\'",
                      Rank.TITLE, index)
            self._add(f"SELECT id AS case_id FROM dispute_case WHERE facts LIKE {pattern} ESCAPE '\\'",
                      Rank.TEXT, index)
        elif self.counting:
            self.case_text = self._param(f"{{title facts}} : {case_match}")
        else:
            for rank, col in ((Rank.TITLE, "title"), (Rank.TEXT, "facts")):
                match = self._param(f"{{{col}}} : {case_match}")
                self._add(f"SELECT rowid AS case_id FROM search_case_fts WHERE search_case_fts MATCH {match}",
                          rank, index)
        name_match = self._sqlite_match(folded, "search_party_vocab")
        if name_match is None:
            pattern = self._param("%" + _like_escape(folded) + "%")
            self._add(f"SELECT case_id FROM party WHERE name LIKE {pattern} ESCAPE '\\'", Rank.TEXT, index)
        else:
            match = self._param("{name} : " + name_match)
            self._add("SELECT p.case_id FROM search_party_fts f JOIN party p ON p.id = f.rowid "
                      f"WHERE search_party_fts MATCH {match}", Rank.TEXT, index)

    # -- text: PostgreSQL ----------------------------------------------------------------------

    def _newest_window(self) -> int | None:
        """The case id below which the newest ``RECENT_WINDOW`` cases begin."""
        if self._window is False:
            newest = self.session.scalar(select(func.max(DisputeCase.id)))
            self._window = int(newest) - RECENT_WINDOW if newest is not None else None
        return self._window if isinstance(self._window, int) else None

    def _page_filled(self) -> bool:
        """Whether the sources added so far (all of a better rank than a text hit) already find a
        page's ``top`` cases. Asked once, before the first text source: a phone's last four digits
        are in a thousand ID numbers and phones, and also in the facts' amounts, where only a
        bigram like "88" narrows them — fetching those rows is most of the page's time."""
        if self.top is None or self.counting or not self.parts:
            return False
        if self._filled is None:
            union = " UNION ALL ".join(self.parts)
            sql = f"SELECT count(*) FROM (SELECT DISTINCT case_id FROM ({union}) AS u LIMIT {self.top}) AS f"
            used = {k: v for k, v in self.params.items() if re.search(rf":{k}\b", union)}
            self._filled = int(self.session.execute(text(sql), used).scalar() or 0) >= self.top
        return self._filled

    def _postgresql_text(self, folded: str, index: int) -> None:
        raw_pattern = "%" + _like_escape(folded) + "%"
        grams = pattern = ""  # parameters made when a source needs them: text() refuses unused ones
        sources = [(Rank.TITLE, "dispute_case", "id", "title"), (Rank.TEXT, "dispute_case", "id", "facts"),
                   (Rank.TEXT, "party", "case_id", "name")]
        if self.counting:
            # Titles and facts are counted from search_gram_count (see count): names only here.
            self.case_text = self._param(raw_pattern)
            sources = sources[2:]
        for rank, table, key, col in sources:
            if rank == Rank.TEXT and self._page_filled():
                return  # the better ranks fill the page: a text-only hit could only come after it
            window = self._newest_window() if self.top is not None else None
            if window is not None:
                # A common word: its newest ``top`` hits are among the newest cases, found by walking
                # back from the newest id — far cheaper than fetching its 100,000 hits from the GIN
                # index to keep 50. When the newest cases hold fewer than ``top``, the index does it.
                # DISTINCT: a case with two such parties (two companies) is one of the ``top``.
                recent = self.session.execute(text(
                    f"SELECT DISTINCT {key} FROM {table} WHERE {key} > :w AND lower({col}) LIKE :p ESCAPE '\\' "
                    f"ORDER BY {key} DESC LIMIT {self.top}"), {"w": window, "p": raw_pattern}).scalars().all()
                if len(recent) >= (self.top or 0):
                    ids = self._param([int(i) for i in recent])
                    self.parts.append(f"SELECT unnest(CAST({ids} AS integer[])) AS case_id, {rank} AS rank, "
                                      f"{index} AS word")
                    continue
            if not grams:
                grams, pattern = self._param(_bigrams(folded)), self._param(raw_pattern)
            if self.guarded:
                function = _GUARDED_TEXT[(table, col)]
                self._add(f"SELECT case_id FROM {function}(CAST({grams} AS text[]), {pattern}) AS f (case_id)",
                          rank, index)
                continue
            self._add(f"SELECT {key} AS case_id FROM {table} WHERE search_grams({col}) @> CAST({grams} AS text[]) "
                      f"AND lower({col}) LIKE {pattern} ESCAPE '\\'", rank, index)

    # -- the whole query -----------------------------------------------------------------------

    def hits(self, words: tuple[str, ...], *, top: int | None = None) -> Subquery:
        """(case_id, rank) of every matching case, one row each.

        ``top``: only the first ``top`` rows of the ranked order are wanted, for one word. Each
        source then keeps its newest ``top`` cases: a case among the first ``top`` overall is
        among the first ``top`` of its best source (every case of that source before it is
        before it overall too), and a case a cut source loses only moves later. So the first
        ``top`` rows come out exactly, without ranking a common word's 100,000 hits.
        """
        self.top = top if len(words) == 1 else None
        for index, word in enumerate(words):
            self.add_word(word, index)
        union = " UNION ALL ".join(self.parts)
        having = f" HAVING count(DISTINCT word) = {len(words)}" if len(words) > 1 else ""
        sql = f"SELECT case_id, min(rank) AS rank FROM ({union}) AS u GROUP BY case_id{having}"
        clause: TextClause = text(sql).bindparams(*(bindparam(k, v) for k, v in self.params.items()))
        textual: TextualSelect = clause.columns(column("case_id", Integer), column("rank", Integer))
        return textual.subquery("hits")

    def count(self, word: str) -> int:
        """How many cases one word finds: the title-and-facts hits counted by the index, and only
        the other sources' few cases checked against that match one by one."""
        self.counting = True
        self.add_word(word, 0)
        union = " UNION ALL ".join(self.parts)
        if not self.sqlite:
            return self._postgresql_count(word, union)
        if self.case_text is None:
            sql = f"SELECT count(DISTINCT case_id) FROM ({union}) AS u"
            return int(self.session.execute(text(sql), self.params).scalar() or 0)
        in_text = int(self.session.execute(
            text(f"SELECT count(*) FROM search_case_fts WHERE search_case_fts MATCH {self.case_text}"),
            self.params).scalar() or 0)
        if in_text <= COUNT_BY_UNION:
            text_source = (f"SELECT rowid AS case_id, 3 AS rank, 0 AS word FROM search_case_fts "
                           f"WHERE search_case_fts MATCH {self.case_text}")
            sql = f"SELECT count(DISTINCT case_id) FROM ({union} UNION ALL {text_source}) AS u"
            return int(self.session.execute(text(sql), self.params).scalar() or 0)
        others = int(self.session.execute(text(
            f"SELECT count(DISTINCT case_id) FROM ({union}) AS u WHERE NOT EXISTS (SELECT 1 FROM search_case_fts "
            f"WHERE search_case_fts MATCH {self.case_text} AND search_case_fts.rowid = u.case_id)"),
            self.params).scalar() or 0)
        return in_text + others


    def _postgresql_count(self, word: str, union: str) -> int:
        if self.case_text is None:  # a surname: names only, no text
            sql = f"SELECT count(DISTINCT case_id) FROM ({union}) AS u"
            return int(self.session.execute(text(sql), self.params).scalar() or 0)
        in_text = int(self.session.execute(text("SELECT cases FROM search_gram_count WHERE gram = :gram"),
                                           {"gram": word.lower()}).scalar() or 0)
        others = int(self.session.execute(text(
            f"SELECT count(DISTINCT case_id) FROM ({union}) AS u WHERE NOT EXISTS (SELECT 1 FROM dispute_case c "
            f"WHERE c.id = u.case_id AND (lower(c.title) LIKE {self.case_text} ESCAPE '\\' "
            f"OR lower(c.facts) LIKE {self.case_text} ESCAPE '\\'))"), self.params).scalar() or 0)
        return in_text + others


def counted_by_grams(word: str) -> bool:
    """Whether PostgreSQL's ``search_gram_count`` holds a word's title-and-facts count: a word of
    two or three characters, or one punctuation mark (migration 0010)."""
    folded = word.lower()
    return 2 <= len(folded) <= 3 or (len(folded) == 1 and folded in PUNCTUATION)


def hits_subquery(session: Session, query: str, *, top: int | None = None) -> Subquery | None:
    """The (case_id, rank) rows of a query, to join or filter on; None for an empty query.
    ``top``: only the first ``top`` rows by rank will be read (see ``_Builder.hits``)."""
    words = words_of(query)
    if not words:
        return None
    return _Builder(session).hits(words, top=top)


def _restricting(where: list[ColumnElement[bool]] | None) -> list[ColumnElement[bool]]:
    # An actor who sees every case brings a bare TRUE: no need to join each hit to its case.
    return [c for c in where or [] if not isinstance(c, True_)]


#: Pages up to this deep are first read from the unrestricted ranking (see ``ranked_case_ids``).
UNRESTRICTED_FIRST = 500


def ranked_case_ids(session: Session, query: str, *, offset: int, limit: int,
                    where: list[ColumnElement[bool]] | None = None,
                    actor: Actor | None = None) -> list[tuple[int, int]]:
    """(case id, rank) best first, for one page; ``where`` further restricts on DisputeCase.

    A restricted page of one word is first read from the unrestricted ranking (its sources cut to
    the page, no join): when every case up to the page's end passes ``where`` — a head of the only
    center, the usual case — those are exactly the restricted ranking's first rows too (it keeps
    the unrestricted order, leaving out what does not pass). Otherwise every hit is joined to its
    case and filtered before the page is cut: a common word's 40,000 hits took ~75 ms that way
    where the cut ranking takes a few.

    ``actor``: the person ``where`` holds the visibility of. When the cases they may see are few
    (a township's people, a mediator with few cases), the hits are looked for among those cases
    first (``_among_few``; not under the server's row-level security)."""
    return _ranked(session, query, offset=offset, limit=limit, where=where, actor=actor)[0]


def first_ranked(session: Session, query: str, *, limit: int, screen: int,
                 where: list[ColumnElement[bool]] | None = None,
                 actor: Actor | None = None) -> tuple[list[tuple[int, int]], bool]:
    """The first ``limit`` rows of :func:`ranked_case_ids` (offset 0), and False; or, when SQLite's
    newest-first ranking finds the first ``screen`` rows sooner than the first ``limit`` (a common
    word whose newest cases hold a screen of rows of its best ranks but not a page), those
    ``screen`` rows and True: the ranking goes on past them. A list's first screen is read so, the
    rows after it right after its paint: 宅基地's page of 50 took a second window eight times
    larger (~15 ms at a million cases, its screen ~5)."""
    return _ranked(session, query, offset=0, limit=limit, where=where, actor=actor, screen=screen)


def _ranked(session: Session, query: str, *, offset: int, limit: int, where: list[ColumnElement[bool]] | None,
            actor: Actor | None, screen: int | None = None) -> tuple[list[tuple[int, int]], bool]:
    """:func:`ranked_case_ids`'s page, and whether it was cut at ``screen`` rows (:func:`first_ranked`)."""
    where = _restricting(where)
    end = max(offset, 0) + limit
    words = words_of(query)
    if limit > 0 and words and where and actor is not None and _few_first(session):
        few = few_visible_ids(session, actor)
        if few is not None:
            return _among_few(session, words, few, where, offset=max(offset, 0), limit=limit), False
    if limit > 0 and len(words) == 1 and session.get_bind().dialect.name == "sqlite":
        page = _newest_first(session, words[0], end, where, screen=screen)
        if page is not None:
            return page[max(offset, 0):], 0 < len(page) < end  # only a screen's cut is short
    if where and limit > 0 and end <= UNRESTRICTED_FIRST and len(words_of(query)) == 1:
        first = ranked_case_ids(session, query, offset=0, limit=end)
        ids = [case_id for case_id, _ in first]
        passing = session.scalar(select(func.count()).select_from(DisputeCase).where(
            DisputeCase.id.in_(ids), *where)) if ids else 0
        if passing == len(ids):
            return first[max(offset, 0):], False
    # Cut sources are exact only when nothing else filters the hits afterwards.
    hits = hits_subquery(session, query, top=None if where else end)
    if hits is None or limit <= 0:
        return [], False
    stmt: Select[Any] = select(hits.c.case_id, hits.c.rank)
    if where:
        stmt = stmt.join(DisputeCase, DisputeCase.id == hits.c.case_id).where(*where)
    stmt = stmt.order_by(hits.c.rank, hits.c.case_id.desc()).offset(max(offset, 0)).limit(limit)
    return [(int(r[0]), int(r[1])) for r in session.execute(stmt)], False


#: A person who may see at most this many cases (by the indexes of their visibility) has a search
#: ranked among those cases (``_among_few``), not among the word's hits (SQLite and PostgreSQL).
FEW_VISIBLE = 2_000

def _few_first(session: Session) -> bool:
    """Whether the visible-first ranking can be used: not under row-level security, where each
    source is a server function that returns every hit the account may read (the server then
    applies the visibility itself)."""
    return session.get_bind().dialect.name == "sqlite" or not row_security_active(session)


def few_visible_ids(session: Session, actor: Actor) -> list[int] | None:
    """The ids of a set of cases that holds every case ``actor`` may see, when one of at most
    ``FEW_VISIBLE`` cases is found through the indexes of the visibility
    (``visible_parts``); None otherwise.

    The centers' side (the cases of the centers they read, handled by one of them or crossed with
    their own: a township's) and a mediator's side (their teams' cases and those they lead): each
    part is read from its own index, counted first and given up past ``FEW_VISIBLE``, so a large
    side costs that many index entries. A mediator's visibility is both sides' common cases: the
    sides that are few are intersected. The visibility itself is still applied to the hits found
    among them. PostgreSQL reads each part by the index its planner chooses."""
    parts = visible_parts.visible_parts(session, actor)
    if parts is None:
        return None
    sides: list[set[int]] = []
    # A township mediator's teams' and led cases are few, a county one's many; no centers' side
    # for whoever reads every center.
    for side in (parts.mediator, parts.centers):
        ids = None if side is None else visible_parts.ids_within(session, side, FEW_VISIBLE + 1)
        if ids is not None:
            sides.append(ids)
    if not sides:
        return None
    few = set.intersection(*sides)
    return sorted(few) if len(few) <= FEW_VISIBLE else None


def _among_few(session: Session, words: tuple[str, ...], few: list[int], where: list[ColumnElement[bool]], *,
               offset: int, limit: int | None) -> list[tuple[int, int]]:
    """One page of the ranking of ``words`` among the cases ``few`` (a set holding every case the
    actor may see), ``where`` applied to them: the whole ranking's page, since what ``where``
    passes is among them. Every source is driven by those cases (``_Builder._within_source``): a
    word in every tenth party's name (张掖市, 123,135 cases) had all its hits ranked and joined to
    their cases to find a township head's one (0.6 s at a million cases)."""
    if not few:
        return []
    builder = _Builder(session)
    builder.within = few
    hits = builder.hits(words)
    stmt: Select[Any] = (select(hits.c.case_id, hits.c.rank)
                         .join(DisputeCase, DisputeCase.id == hits.c.case_id).where(*where)
                         .order_by(hits.c.rank, hits.c.case_id.desc()).offset(offset).limit(limit))
    return [(int(r[0]), int(r[1])) for r in session.execute(stmt)]


#: SQLite's newest-first ranking first looks among this many newest cases, then 8, 64 … times more.
FIRST_WINDOW = 4_000
#: ... until the window would hold more than this share of the cases: then every hit is ranked.
LAST_WINDOW_SHARE = 8


def _newest_first(session: Session, word: str, end: int, where: list[ColumnElement[bool]], *,
                  screen: int | None = None) -> list[tuple[int, int]] | None:
    """The first ``end`` rows of one word's ranking (what the actor may see), found among the
    newest cases without ranking every hit; None when they are not found there.

    The ranking is (rank, newest first). Among the cases above a floor (the newest ``window``) it
    is exact: every source is kept to them. Its first ``end`` rows are the whole ranking's first
    when no case at or below the floor has a rank better than the worst of them — those older
    cases would come after every newer case of their rank, so only a better rank could push in.
    That is asked of the better sources alone, stopping at the first such case. A word in every
    tenth party's name (张掖市) had all 128,856 of its hits ranked, joined to their cases and
    sorted for a page of 50: 0.5 s for the county head, 1.3 s for anyone who sees only some.

    ``screen`` (fewer than ``end``): a window whose first ``end`` rows are not known to be the
    whole ranking's may still hold its first ``screen`` (the same question, asked of the worst of
    them when it is a better rank than the worst of ``end``): then those alone are returned."""
    newest = session.scalar(select(func.max(DisputeCase.id)))
    if newest is None:
        return []
    window = FIRST_WINDOW
    while window * LAST_WINDOW_SHARE <= newest:
        floor = int(newest) - window
        builder = _Builder(session)
        builder.floor = floor
        hits = builder.hits((word,), top=None if where else end)
        stmt: Select[Any] = select(hits.c.case_id, hits.c.rank)
        if where:
            stmt = stmt.join(DisputeCase, DisputeCase.id == hits.c.case_id).where(*where)
        rows = [(int(r[0]), int(r[1])) for r in session.execute(
            stmt.order_by(hits.c.rank, hits.c.case_id.desc()).limit(end))]
        if len(rows) >= end:
            worst = rows[-1][1]
            if worst == Rank.IDENTIFIER or not _better_below(session, word, where, worst, floor):
                return rows
        if screen is not None and 0 < screen < end and len(rows) >= screen:
            worst = rows[screen - 1][1]
            if (len(rows) < end or worst < rows[-1][1]) and (
                    worst == Rank.IDENTIFIER or not _better_below(session, word, where, worst, floor)):
                return rows[:screen]
        if len(rows) < end and len(rows) * 8 < end:
            return None  # too rare (in what the actor sees) to fill a page in the next window: rank all
        window *= 8
    return None


def _better_below(session: Session, word: str, where: list[ColumnElement[bool]], rank: int, ceiling: int) -> bool:
    """Whether a case at most ``ceiling`` (that the actor may see) matches ``word`` with a better
    rank than ``rank``."""
    builder = _Builder(session)
    builder.ceiling, builder.below = ceiling, rank
    builder.add_word(word, 0)
    if not builder.parts:
        return False
    union = " UNION ALL ".join(builder.parts)
    clause = text(f"SELECT case_id FROM ({union}) AS u").bindparams(
        *(bindparam(k, v) for k, v in builder.params.items() if re.search(rf":{k}\b", union)))
    found = clause.columns(column("case_id", Integer)).subquery("better")
    stmt: Select[Any] = select(found.c.case_id)
    if where:
        stmt = stmt.join(DisputeCase, DisputeCase.id == found.c.case_id).where(*where)
    return session.execute(stmt.limit(1)).first() is not None


def count_hits(session: Session, query: str, *, where: list[ColumnElement[bool]] | None = None,
               actor: Actor | None = None) -> int:
    """How many cases ``query`` finds under ``where``; ``actor`` as for ``ranked_case_ids``."""
    where = _restricting(where)
    words = words_of(query)
    if words and where and actor is not None and _few_first(session):
        few = few_visible_ids(session, actor)
        if few is not None:
            return len(_among_few(session, words, few, where, offset=0, limit=None))
    if len(words) == 1 and not where and (session.get_bind().dialect.name == "sqlite"
                                          or counted_by_grams(words[0])):
        return _Builder(session).count(words[0])
    hits = hits_subquery(session, query)
    if hits is None:
        return 0
    stmt: Select[Any] = select(func.count()).select_from(hits)
    if where:
        stmt = stmt.join(DisputeCase, DisputeCase.id == hits.c.case_id).where(*where)
    return int(session.scalar(stmt) or 0)


# --------------------------------------------------------------------------- the service


def _visible(actor: Actor) -> list[ColumnElement[bool]]:
    """A search shows what the case list would: the administrator none, a mediator their teams'."""
    permissions.require_role(actor, permissions.CASE_ROLES, "搜索案件")
    return [permissions.visible_cases(actor)]



def search(session: Session, actor: Actor, query: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
    """One page of the cases matching ``query``, best first (see the module docstring)."""
    ranked = ranked_case_ids(session, query, offset=offset, limit=limit, where=_visible(actor), actor=actor)
    if not ranked:
        return []
    ids = [case_id for case_id, _ in ranked]
    cases = {
        r.id: r
        for r in session.execute(
            select(DisputeCase.id, DisputeCase.number, DisputeCase.title, DisputeCase.state,
                   DisputeCase.received_at).where(DisputeCase.id.in_(ids))
        )
    }
    names: dict[int, list[str]] = {}
    role_order = {PartyRole.APPLICANT: 0, PartyRole.RESPONDENT: 1, PartyRole.THIRD_PARTY: 2}
    parties = session.execute(
        select(Party.case_id, Party.name, Party.role, Party.seq).where(Party.case_id.in_(ids))
    ).all()
    for case_id, name, _role, _seq in sorted(parties, key=lambda p: (p[0], role_order.get(p[2], 9), p[3])):
        names.setdefault(case_id, []).append(name)
    words = words_of(query)
    return [
        SearchHit(case_id=case_id, number=cases[case_id].number, title=cases[case_id].title,
                  state=cases[case_id].state, received_at=cases[case_id].received_at,
                  parties=tuple(names.get(case_id, [])), rank=rank, matched=words)
        for case_id, rank in ranked
        if case_id in cases
    ]


def count(session: Session, actor: Actor, query: str) -> int:
    """How many cases match ``query``."""
    return count_hits(session, query, where=_visible(actor), actor=actor)


#: From this many new cases on, a bulk load is faster with the index suspended and rebuilt after.
BULK_ROWS = 10_000

_TRIGGERS = ("search_case_ai", "search_case_ad", "search_case_au",
             "search_party_ai", "search_party_ad", "search_party_au")


def record_search(session: Session, actor: Actor, query: str, *, offset: int = 0, limit: int = 50,
                  purpose: str = "cli") -> None:
    """Log that ``actor`` searched for ``query`` (masked: an ID number or phone typed in is not
    kept in full), in the caller's write session."""
    audit.record_query(session, actor, audit.SEARCH_ACTION, {
        "words": " ".join(words_of(query)), "offset": offset, "limit": limit, "purpose": purpose})


def suspend_index(session: Session) -> None:
    """Before a bulk load of many cases into SQLite (demo data, a county's history): stop indexing
    row by row. ``rebuild_index`` must follow in the same transaction or before anyone searches.

    Hooks: ``demo/__init__.py`` and ``services/case_import.py`` call ``suspend_index`` before a bulk
    insert of thousands of rows and ``rebuild_index`` after it; row-by-row indexing is correct
    without them, only slower (FTS5 per row).
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    for name in _TRIGGERS:
        session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def _sqlite_triggers() -> list[str]:
    # The same statements as migration 0008 (a migration is frozen; this is its copy for bulk loads).
    end = "char(31, 31)"
    case = "coalesce({r}.title, '') || " + end + ", coalesce({r}.facts, '') || " + end
    party = ("coalesce({r}.name, '') || " + end + ", coalesce({r}.id_number, '') || " + end
             + ", coalesce({r}.phone, '') || " + end)
    case_ins = f"INSERT INTO search_case_fts(rowid, title, facts) VALUES (new.id, {case.format(r='new')});"
    case_del = ("INSERT INTO search_case_fts(search_case_fts, rowid, title, facts) "
                f"VALUES ('delete', old.id, {case.format(r='old')});")
    party_ins = f"INSERT INTO search_party_fts(rowid, name, id_number, phone) VALUES (new.id, {party.format(r='new')});"
    party_del = ("INSERT INTO search_party_fts(search_party_fts, rowid, name, id_number, phone) "
                 f"VALUES ('delete', old.id, {party.format(r='old')});")
    return [
        f"CREATE TRIGGER IF NOT EXISTS search_case_ai AFTER INSERT ON dispute_case BEGIN {case_ins} END",
        f"CREATE TRIGGER IF NOT EXISTS search_case_ad AFTER DELETE ON dispute_case BEGIN {case_del} END",
        "CREATE TRIGGER IF NOT EXISTS search_case_au AFTER UPDATE OF id, title, facts ON dispute_case "
        f"BEGIN {case_del} {case_ins} END",
        f"CREATE TRIGGER IF NOT EXISTS search_party_ai AFTER INSERT ON party BEGIN {party_ins} END",
        f"CREATE TRIGGER IF NOT EXISTS search_party_ad AFTER DELETE ON party BEGIN {party_del} END",
        "CREATE TRIGGER IF NOT EXISTS search_party_au AFTER UPDATE OF id, name, id_number, phone ON party "
        f"BEGIN {party_del} {party_ins} END",
    ]


_INSERT_TRIGGERS = ("search_case_ai", "search_party_ai")


def pause_row_indexing(session: Session) -> bool:
    """Before a batch import on SQLite: index the new rows chunk by chunk as they are written
    (:func:`index_new_rows`, then :func:`resume_row_indexing` at the end) instead of row by row —
    an FTS5 insert per row doubled the import's time. Only the insert triggers are dropped, inside
    the import's transaction (which holds SQLite's only write lock, so no other write can slip in
    unindexed; a rollback brings them back). Returns whether the caller must call
    :func:`resume_row_indexing`."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    for name in _INSERT_TRIGGERS:
        session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    return True


def index_new_rows(session: Session, cases: tuple[int, int], parties: tuple[int, int]) -> None:
    """Index the cases and the parties whose ids are in these ranges (first, last) — a batch
    import's rows as each chunk is written, the insert triggers paused: found by their ids alone,
    so no secondary index is needed (a big load sets them aside meanwhile)."""
    if cases[0] <= cases[1]:
        session.execute(text(
            "INSERT INTO search_case_fts(rowid, title, facts) "
            "SELECT id, coalesce(title, '') || char(31, 31), coalesce(facts, '') || char(31, 31) "
            "FROM dispute_case WHERE id BETWEEN :lo AND :hi"), {"lo": cases[0], "hi": cases[1]})
    if parties[0] <= parties[1]:
        session.execute(text(
            "INSERT INTO search_party_fts(rowid, name, id_number, phone) "
            "SELECT id, coalesce(name, '') || char(31, 31), coalesce(id_number, '') || char(31, 31), "
            "coalesce(phone, '') || char(31, 31) FROM party WHERE id BETWEEN :lo AND :hi"),
            {"lo": parties[0], "hi": parties[1]})


def resume_row_indexing(session: Session) -> None:
    """Restore the insert triggers dropped by :func:`pause_row_indexing`."""
    for statement in _sqlite_triggers():  # IF NOT EXISTS: only the dropped ones come back
        session.execute(text(statement))


def rebuild_index(session: Session) -> None:
    """Rebuild the SQLite search tables from the cases and parties and (re)create the triggers that
    keep them in step — after ``suspend_index`` and a bulk load, or to repair. PostgreSQL's
    expression indexes are always in step; its gram counts are recounted (a repair, or after a
    load with the triggers disabled)."""
    if session.get_bind().dialect.name != "sqlite":
        session.execute(text("SELECT pg_advisory_xact_lock(8001, 1)"))  # migration 0010's lock
        session.execute(text("DELETE FROM search_gram_count"))
        session.execute(text("INSERT INTO search_gram_count (gram, cases) SELECT g, count(*) FROM dispute_case, "
                             "unnest(search_text_grams(title, facts)) AS g GROUP BY g"))
        return
    for statement in _sqlite_triggers():
        session.execute(text(statement))
    session.execute(text("INSERT INTO search_case_fts(search_case_fts) VALUES ('delete-all')"))
    session.execute(text("INSERT INTO search_party_fts(search_party_fts) VALUES ('delete-all')"))
    session.execute(text(
        "INSERT INTO search_case_fts(rowid, title, facts) "
        "SELECT id, coalesce(title, '') || char(31, 31), coalesce(facts, '') || char(31, 31) FROM dispute_case"
    ))
    session.execute(text(
        "INSERT INTO search_party_fts(rowid, name, id_number, phone) "
        "SELECT id, coalesce(name, '') || char(31, 31), coalesce(id_number, '') || char(31, 31), "
        "coalesce(phone, '') || char(31, 31) FROM party"
    ))
    session.execute(text("INSERT INTO search_case_fts(search_case_fts) VALUES ('optimize')"))
    session.execute(text("INSERT INTO search_party_fts(search_party_fts) VALUES ('optimize')"))


def include_in_schema_compare(name: str | None, type_: str, parent_names: Any) -> bool:
    """For Alembic's ``include_name``: the search objects of migration 0008 are not ORM models."""
    return not (name or "").startswith(("search_", "ix_search_"))


__all__ = [
    "BULK_ROWS", "RANK_LABELS", "Rank", "SearchHit", "count", "count_hits", "counted_by_grams", "highlight_spans",
    "hits_subquery",
    "include_in_schema_compare", "ranked_case_ids", "rebuild_index", "search", "suspend_index", "words_of",
]
