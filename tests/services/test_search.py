"""Search on both databases: short Chinese names, rare characters, identifiers by their last digits,
special characters taken literally, and the index kept in step by every kind of write."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, select, text, update

from mediation_desk.db import Database
from mediation_desk.models import DisputeCase, Party, PartyRole, Role
from mediation_desk.readmodels.caselist import CaseFilter
from mediation_desk.services import case_import, cases, search
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import PermissionDenied
from mediation_desk.services.search import Rank

from ..documents.casefile import ON_STORY_DAY
from .helpers import BACKENDS, dispute_type_id, make_team, make_user, module_database

ACTOR = Actor.system("test")


def _register(db: Database, title: str, applicant: str, respondent: str = "某公司", *, facts: str = "",
              id_number: str = "", phone: str = "", received: datetime | None = None) -> int:
    with db.write() as session:
        return cases.register_case(session, ACTOR, cases.CaseInput(
            title=title, dispute_type_id=dispute_type_id(db),
            parties=[cases.PartyInput(role=PartyRole.APPLICANT, name=applicant, id_number=id_number, phone=phone),
                     cases.PartyInput(role=PartyRole.RESPONDENT, name=respondent)],
            facts=facts or "双方发生争执。", requests=["请求调解"], received_at=received))


def _ids(db: Database, query: str, limit: int = 50, offset: int = 0) -> list[int]:
    with db.read() as session:
        return [h.case_id for h in search.search(session, ACTOR, query, limit=limit, offset=offset)]


def _count(db: Database, query: str) -> int:
    with db.read() as session:
        return search.count(session, ACTOR, query)


@pytest.fixture
def county(db: Database) -> dict[str, int]:
    """A few cases whose names, numbers and texts the tests look for."""
    return _county(db)


@pytest.fixture(scope="module", params=BACKENDS)
def searched(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, dict[str, int]]]:
    """The same cases in a database of the module's, for the many queries that only read."""
    with module_database(request, tmp_path_factory, "searched") as db:
        yield db, _county(db)


def _county(db: Database) -> dict[str, int]:
    return {
        "zhangwei": _register(db, "相邻通行纠纷", "张伟", "李娜", facts="张伟与李娜因院前通道发生争执。"),
        "zhangweiming": _register(db, "宅基地界址纠纷", "张伟明", "王小明", facts="双方因宅基地界址发生争议。"),
        "wages": _register(db, "拖欠工资纠纷", "刘德华", "甘州区宏达建筑工程有限公司",
                           facts="申请人在工地务工，被拖欠工资12500元。", id_number="11010519491231002X",
                           phone="13800138000"),
        "rare": _register(db, "房屋买卖合同纠纷", "吉𠮷", "欧阳䶮", facts="𠮷家与䶮家买卖房屋。"),
        "mixed": _register(db, "网店消费纠纷", "张三ABC123", "赵六", facts="订单号 ORDER9981 退款未到。"),
        "special": _register(db, "特殊字符 100%_满意 \"引号\" *星号* ')括号 AND NEAR( a-b c:d x^y", "钱七",
                             facts="备注：折扣 50% 与 a_b 并存。"),
    }


def test_two_character_names_are_found_first_by_exact_name(db: Database, county: dict[str, int]) -> None:
    hits = _ids(db, "张伟")
    # 张伟 is a party (and in the facts), 张伟明 begins with it: exact name before prefix.
    assert hits[:2] == [county["zhangwei"], county["zhangweiming"]]
    assert _ids(db, "李娜") == [county["zhangwei"]]
    with db.read() as session:
        first = search.search(session, ACTOR, "张伟")[0]
    assert first.rank == Rank.NAME and first.reason == "当事人姓名"
    assert first.parties == ("张伟", "李娜") and first.matched == ("张伟",)
    # Two characters in the middle of a three-character name.
    assert _ids(db, "小明") == [county["zhangweiming"]]
    assert _count(db, "张伟") == 2


def test_three_character_words_and_two_character_words_in_the_facts(db: Database, county: dict[str, int]) -> None:
    assert _ids(db, "宅基地") == [county["zhangweiming"]]
    assert _ids(db, "工资") == [county["wages"]]  # in the title: ranked as a title hit
    with db.read() as session:
        assert search.search(session, ACTOR, "工资")[0].rank == Rank.TITLE
    assert _ids(db, "务工") == [county["wages"]]  # two characters only in the facts
    assert _ids(db, "争执") == [county["zhangwei"]]
    assert _ids(db, "争执。") == [county["zhangwei"]]  # at the very end of the facts
    assert _ids(db, "找不到的词") == [] and _count(db, "找不到的词") == 0


def test_one_character_is_a_surname(db: Database, county: dict[str, int]) -> None:
    # Names beginning with 张, newest first; 张 inside a text (none here) would not count.
    assert _ids(db, "张") == [county["mixed"], county["zhangweiming"], county["zhangwei"]]
    assert _ids(db, "明") == []  # 张伟明 and 王小明 end in 明: a single character is not a substring search
    assert _ids(db, "欧") == [county["rare"]]


def test_rare_characters_beyond_the_bmp(db: Database, county: dict[str, int]) -> None:
    assert _ids(db, "吉𠮷") == [county["rare"]]
    assert _ids(db, "𠮷") == []  # one character and not a surname start
    assert _ids(db, "欧阳䶮") == [county["rare"]]
    assert _ids(db, "阳䶮") == [county["rare"]]
    assert _ids(db, "𠮷家") == [county["rare"]]
    assert _ids(db, "与䶮家") == [county["rare"]]


def test_mixed_chinese_latin_and_digits(db: Database, county: dict[str, int]) -> None:
    assert _ids(db, "张三ABC123") == [county["mixed"]]
    assert _ids(db, "三abc") == [county["mixed"]]  # Latin letters fold case
    assert _ids(db, "order9981") == [county["mixed"]]
    assert _ids(db, "张三 退款") == [county["mixed"]]  # every word must match
    assert _ids(db, "张三 宅基地") == []


def test_identifiers_exact_and_by_last_digits(db: Database, county: dict[str, int]) -> None:
    wages = county["wages"]
    assert _ids(db, "11010519491231002X") == [wages]
    assert _ids(db, "11010519491231002x") == [wages]
    assert _ids(db, "002X") == [wages]  # last four of the ID number
    assert _ids(db, "1002X") == [wages]
    assert _ids(db, "31002X") == [wages]
    assert _ids(db, "13800138000") == [wages]
    assert _ids(db, "8000") == [wages]  # last four of the phone
    assert _ids(db, "138000") == [wages]
    assert _ids(db, "1949") == []  # the middle of an ID number is not searched
    with db.read() as session:
        hit = search.search(session, ACTOR, "8000")[0]
        number = cases.case_detail(session, ACTOR, wages).number
    assert hit.rank == Rank.IDENTIFIER
    assert _ids(db, number) == [wages]
    seq = number.split("第")[1].rstrip("号")  # e.g. 0003
    assert wages in _ids(db, seq) and wages in _ids(db, str(int(seq)))


@pytest.mark.parametrize("query", ["%", "_", '"', "*", "')", "AND", "NEAR(", "-", ":", "^", "100%", "%_",
                                   '"引号"', "*星号*", "a-b", "c:d", "x^y", "50%", "a_b"])
def test_special_characters_are_found_literally(searched: tuple[Database, dict[str, int]], query: str) -> None:
    db, county = searched
    assert _ids(db, query) == [county["special"]]
    assert _count(db, query) == 1


@pytest.mark.parametrize("query", ["%%", "__", '""', "**", "')'", "OR(", "NOT", "NEAR(x y)", "^张", "title:张",
                                   "-张", '"张伟', "张伟\"", "(张伟)", "'; DROP TABLE party; --", "\\", "\\%",
                                   "{title}", "张*", "\x00", "\x1f\x1f", "𠮷\x1f"])
def test_special_characters_absent_from_the_data_find_nothing_and_never_raise(
        searched: tuple[Database, dict[str, int]], query: str) -> None:
    db, _ = searched
    assert _ids(db, query) == []
    assert _count(db, query) == 0


def test_empty_and_oversized_queries(db: Database, county: dict[str, int]) -> None:
    assert _ids(db, "") == [] and _ids(db, "   ") == [] and _count(db, "") == 0
    assert _ids(db, "张" * 500) == []
    assert _ids(db, " ".join(["张伟"] * 30)) == _ids(db, "张伟")


def test_paging_and_newest_first_within_a_rank(db: Database) -> None:
    ids = [_register(db, f"第{i}起纠纷", "孙悟空", received=datetime(2026, 1, 1 + i)) for i in range(7)]
    assert _ids(db, "孙悟空", limit=3) == ids[::-1][:3]
    assert _ids(db, "孙悟空", limit=3, offset=3) == ids[::-1][3:6]
    assert _ids(db, "孙悟空", limit=3, offset=6) == ids[:1]
    assert _count(db, "孙悟空") == 7


def test_index_follows_registration_party_edits_and_title_changes(db: Database) -> None:
    case_id = _register(db, "排水纠纷", "周杰")
    assert _ids(db, "周杰") == [case_id]
    with db.write() as session:  # an edit through the ORM
        party = session.scalars(select(Party).where(Party.case_id == case_id, Party.name == "周杰")).one()
        party.name = "周杰伦"
        party.phone = "13912345678"
    assert _ids(db, "周杰伦") == [case_id]
    assert _ids(db, "杰伦") == [case_id]
    assert _ids(db, "5678") == [case_id]
    with db.write() as session:  # and through Core, as a bulk job would
        session.execute(update(Party).where(Party.case_id == case_id, Party.role == PartyRole.APPLICANT)
                        .values(name="蔡依林"))
        session.execute(update(DisputeCase).where(DisputeCase.id == case_id).values(facts="化粪池外溢。"))
    assert _ids(db, "周杰伦") == [] and _ids(db, "杰伦") == []
    assert _ids(db, "蔡依林") == [case_id] and _ids(db, "化粪池") == [case_id] and _ids(db, "排水") == [case_id]
    with db.write() as session:
        session.execute(update(Party).where(Party.case_id == case_id).values(phone=""))
    assert _ids(db, "5678") == []
    with db.write() as session:
        search.rebuild_index(session)
    assert _ids(db, "蔡依林") == [case_id] and _ids(db, "化粪池") == [case_id] and _ids(db, "杰伦") == []


@pytest.mark.story_day("2026-11-30T10:00")  # the hotline tickets were received in November 2026
def test_imported_cases_are_searchable(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(
        "来源编号,来源系统,登记时间,纠纷类型,纠纷名称,申请事项,申请人,申请人身份证号,申请人电话,被申请人,"
        "被申请人统一社会信用代码,涉及金额\n"
        "GZ101,12345,2026-11-20 09:30,拖欠农民工工资,工地欠薪纠纷,请求支付工资,马云飞,,13700001234,"
        "甘州区某建筑公司,,\n",
        encoding="utf-8")
    with db.write() as session:
        report = case_import.import_records(session, ACTOR, case_import.read_records(path))
    assert report.imported == 1
    assert len(_ids(db, "马云飞")) == 1 and _ids(db, "马云飞") == _ids(db, "欠薪") == _ids(db, "1234")
    # The import indexes its rows in one go on SQLite; row-by-row indexing is back afterwards,
    # also after an import that brought nothing new.
    with db.write() as session:
        again = case_import.import_records(session, ACTOR, case_import.read_records(path))
    assert (again.imported, again.already_imported) == (0, 1)
    if db.is_sqlite:
        with db.read() as session:
            triggers = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        assert {"search_case_ai", "search_party_ai"} <= triggers


@ON_STORY_DAY
def test_transfer_packets_are_searchable(db: Database, tmp_path: Path, sqlite_template: Path) -> None:
    from mediation_desk.exchange.export import export_packet
    from mediation_desk.exchange.importer import import_packet

    from ..exchange.casebuild import failed_case

    built = failed_case(db)
    packet = tmp_path / "packet.zip"
    export_packet(db, built.mediator, built.case_id, target="court", target_name="张掖市甘州区人民法院", out=packet,
                  claims=["判令被申请人赔偿损失8600元"])
    with db.read() as session:
        detail = cases.case_detail(session, built.mediator, built.case_id)
    shutil.copyfile(sqlite_template, tmp_path / "receiving.sqlite3")
    target = Database(f"sqlite:///{tmp_path / 'receiving.sqlite3'}")
    try:
        result = import_packet(target, Actor.system("import"), packet)
        with target.read() as session:
            found = search.search(session, ACTOR, detail.parties[0].name)
        assert [h.case_id for h in found] == [result.case_id]
    finally:
        target.dispose()


def test_search_shows_what_the_case_list_would(db: Database, county: dict[str, int]) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    team_id, mediator_id = make_team(db)
    mediator = make_user(db, "med", Role.MEDIATOR, mediator_id=mediator_id)
    admin = make_user(db, "boss", Role.ADMIN)
    with db.read() as session:
        assert [h.case_id for h in search.search(session, clerk, "张伟")] == [
            county["zhangwei"], county["zhangweiming"]]
        # A mediator sees the cases of their teams only: none of these is assigned yet.
        assert search.search(session, mediator, "张伟") == [] and search.count(session, mediator, "张伟") == 0
        with pytest.raises(PermissionDenied):
            search.search(session, admin, "张伟")
    with db.write() as session:
        session.execute(update(DisputeCase).where(DisputeCase.id == county["zhangweiming"]).values(team_id=team_id))
    mediator = make_user(db, "med2", Role.MEDIATOR, mediator_id=mediator_id)
    with db.read() as session:
        assert [h.case_id for h in search.search(session, mediator, "张伟")] == [county["zhangweiming"]]
        assert search.count(session, mediator, "张伟") == 1


def test_highlight_spans() -> None:
    assert search.highlight_spans("张伟明与张伟", ("张伟",)) == [(0, 2), (4, 2)]
    assert search.highlight_spans("ABC abc", ("b",)) == [(1, 1), (5, 1)]
    assert search.highlight_spans("宅基地界址", ("宅基", "基地")) == [(0, 3)]
    assert search.highlight_spans("无", ("张",)) == []


def test_case_list_restricted_to_hits_in_relevance_or_its_own_order(db: Database, county: dict[str, int]) -> None:
    from mediation_desk.models import CaseState
    from mediation_desk.services import caselist

    flt = CaseFilter(text="张伟")
    relevance = caselist.CaseQuery(filter=flt, sort=caselist.SortKey.RELEVANCE)
    by_date = caselist.CaseQuery(filter=flt, sort=caselist.SortKey.RECEIVED)
    with db.read() as session:
        assert caselist.count_cases(session, ACTOR, relevance) == 2
        rows = caselist.fetch_window(session, ACTOR, relevance, 0, 50, total=2)
        assert [r.id for r in rows] == [county["zhangwei"], county["zhangweiming"]]
        assert rows[0].applicants == "张伟"
        assert [r.id for r in caselist.fetch_window(session, ACTOR, relevance, 1, 50, total=2)] == [
            county["zhangweiming"]]
        # The list's own sort keeps keyset paging and shows only the hits.
        rows = caselist.fetch_window(session, ACTOR, by_date, 0, 1, total=2)
        assert [r.id for r in rows] == [county["zhangweiming"]]
        after = caselist.fetch_window(session, ACTOR, by_date, 1, 1, total=2, after=rows[0].sort_key)
        assert [r.id for r in after] == [county["zhangwei"]]
        assert caselist.row_position(session, ACTOR, by_date, county["zhangwei"]) == 1
        assert caselist.row_position(session, ACTOR, by_date, county["wages"]) is None
        # Other filters still apply; a blank text is no search.
        registered = CaseFilter(text="张伟", states=frozenset({CaseState.CLOSED}))
        assert caselist.count_cases(session, ACTOR, caselist.CaseQuery(filter=registered)) == 0
        assert caselist.count_cases(session, ACTOR, caselist.CaseQuery(filter=CaseFilter(text="  "))) == 6
        # Relevance without a text is the newest first.
        plain = caselist.CaseQuery(sort=caselist.SortKey.RELEVANCE)
        assert caselist.fetch_window(session, ACTOR, plain, 0, 1, total=6)[0].id == county["special"]


def test_bulk_load_with_the_index_suspended_then_rebuilt(db: Database, county: dict[str, int]) -> None:
    with db.write() as session:
        search.suspend_index(session)
        session.execute(update(Party).where(Party.name == "张伟").values(name="韩梅梅"))
    with db.write() as session:
        search.rebuild_index(session)
    assert _ids(db, "韩梅梅") == [county["zhangwei"]] and _ids(db, "梅梅") == [county["zhangwei"]]
    # 张伟 is still in the facts of the first case: a text hit now, after the prefix hit 张伟明.
    assert _ids(db, "张伟") == [county["zhangweiming"], county["zhangwei"]]
    _register(db, "新登记的纠纷", "韩梅梅")  # the triggers are back
    assert len(_ids(db, "韩梅梅")) == 2


@pytest.mark.parametrize("window", [3_000, 3])
def test_a_page_cut_from_each_source_equals_the_full_ranking(db: Database, county: dict[str, int], window: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RECENT_WINDOW", window)  # PostgreSQL: newest cases first, then the index
    for i in range(6):
        _register(db, f"张伟第{i}起宅基地纠纷", "张伟" if i % 2 else f"张伟{i}", facts="宅基地与张伟有关。")
    # Phones ending in 8888 (identifier hits) and amounts of 8888 in the facts (text hits), some
    # cases with both: a page the identifiers fill leaves the facts out; a later one needs them.
    for i in range(5):
        _register(db, f"电话尾号纠纷{i}", f"尾号{i}", phone=f"139000{i}8888" if i % 2 else f"1380000{i}888",
                  facts=f"欠款8888元。第{i}笔。" if i != 2 else "无金额。")
    for i in range(3):
        _register(db, f"金额纠纷{i}", f"金额{i}", facts=f"借款{i}8888元未还。")
    with db.read() as session:
        for query in ("张伟", "宅基地", "张", "伟", "8888", "88888"):
            # A condition (always true here) on a page deeper than the unrestricted first try makes
            # the service rank every hit instead of cutting.
            full = search.ranked_case_ids(session, query, offset=0, limit=search.UNRESTRICTED_FIRST + 1,
                                          where=[DisputeCase.id > 0])
            for offset in range(0, len(full) + 1):
                for limit in (1, 2, 5):
                    assert search.ranked_case_ids(session, query, offset=offset, limit=limit) == \
                        full[offset:offset + limit], (query, offset, limit)


def test_a_restricted_page_is_the_full_ranking_filtered(db: Database, county: dict[str, int]) -> None:
    """A restricted page is first read from the unrestricted ranking and kept only when every case
    up to its end passes: the pages equal the whole ranking filtered, whichever case fails."""
    for i in range(6):
        _register(db, f"张伟第{i}起宅基地纠纷", "张伟" if i % 2 else f"张伟{i}", facts="宅基地与张伟有关。")
    with db.read() as session:
        for query in ("张伟", "宅基地", "纠纷"):
            everything = search.ranked_case_ids(session, query, offset=0, limit=search.UNRESTRICTED_FIRST + 1,
                                                where=[DisputeCase.id > 0])
            ids = [case_id for case_id, _ in everything]
            assert len(ids) >= 4, query
            for left_out in ({ids[1]}, {ids[-1]}, set(ids[::2]), set()):
                expected = [hit for hit in everything if hit[0] not in left_out]
                where: list[ColumnElement[bool]] = [
                    DisputeCase.id.not_in(sorted(left_out)) if left_out else DisputeCase.id > 0]
                for offset in range(len(expected) + 1):
                    for limit in (1, 3):
                        assert search.ranked_case_ids(session, query, offset=offset, limit=limit, where=where) == \
                            expected[offset:offset + limit], (query, left_out, offset, limit)


def _brute_count(db: Database, word: str) -> int:
    """The cases a one-word query finds, by the ranking with a condition (which ranks every hit)."""
    with db.read() as session:
        return len(search.ranked_case_ids(session, word, offset=0, limit=10_000, where=[DisputeCase.id > 0]))


def _gram_counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {g: n for g, n in session.execute(text("SELECT gram, cases FROM search_gram_count WHERE cases > 0"))}


COUNTED = ("欠薪", "工资", "拖欠工资", "宅基地", "界址", "张伟", "伟明", "%", "_", "50%", "纠纷", "欠款", "𠮷家",
           "abc", "ABC", "化粪池", "1250", "8000")


@pytest.mark.story_day("2026-11-30T10:00")  # the hotline tickets were received in November 2026
def test_counts_equal_the_hits_after_every_kind_of_write(db: Database, county: dict[str, int],
                                                        tmp_path: Path) -> None:
    """The count of one word (on PostgreSQL read from search_gram_count, kept by triggers) is the
    number of cases the search finds, after inserts, updates through the ORM and Core, a bulk
    import, deletes, and a rebuild."""

    def check() -> None:
        with db.read() as session:
            for word in COUNTED:
                assert search.count(session, ACTOR, word) == _brute_count(db, word), word

    check()
    extra = _register(db, "拖欠工资纠纷", "张伟", facts="宅基地上盖房，工人被拖欠工资50%。")
    check()
    with db.write() as session:  # the ORM, the title and the facts at once
        case = session.get(DisputeCase, extra)
        assert case is not None
        case.title, case.facts = "化粪池纠纷", "化粪池外溢，欠款8000元。"
    check()
    with db.write() as session:  # Core, many rows in one statement
        session.execute(update(DisputeCase).where(DisputeCase.id.in_([county["wages"], county["special"]]))
                        .values(facts="ABC 欠款12500元，工资照付。"))
        session.execute(update(DisputeCase).where(DisputeCase.id == county["rare"]).values(state=DisputeCase.state))
    check()
    path = tmp_path / "tickets.csv"
    path.write_text("来源编号,来源系统,登记时间,纠纷类型,纠纷名称,申请事项,申请人,被申请人\n" + "".join(
        f"B{i},12345,2026-11-20 09:30,拖欠农民工工资,工地欠薪纠纷{i},请求支付工资,马{i}一,某建筑公司\n"
        for i in range(3)),
        encoding="utf-8")
    with db.write() as session:  # a batch import: many rows in one statement on PostgreSQL's trigger
        report = case_import.import_records(session, ACTOR, case_import.read_records(path))
    assert report.imported == 3
    check()
    with db.write() as session:
        session.execute(text("DELETE FROM dispute_case WHERE id = :id"), {"id": county["zhangweiming"]})
    check()
    if db.writer.dialect.name == "postgresql":
        kept = _gram_counts(db)
        with db.write() as session:
            search.rebuild_index(session)
        assert _gram_counts(db) == kept  # the triggers kept exactly what a recount gives
    check()
