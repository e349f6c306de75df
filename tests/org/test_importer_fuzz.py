"""Whatever the cells hold, row validation answers with a clean error report and never raises."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhuanban.org import importer
from zhuanban.org.importer import PERSON_COLUMNS, PERSON_SHEET, UNIT_COLUMNS, UNIT_SHEET, Directory, RowError

# Values a cell can hold once openpyxl has read it, plus the labels and names validation looks for, so
# that the generated rows also reach the deeper rules (references, duplicates).
LABELS = ["党政机关", "企业", "事业单位", "行政编制", "外部人员", "是", "否", "110000", "市政府", "B市人民政府",
          "甲", "乙", "zhang", "ZHANG"]
cells = st.one_of(
    st.none(),
    st.sampled_from(LABELS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.times(),
)


def rows(columns):
    row = st.fixed_dictionaries({}, optional={c: cells for c in columns})
    return st.lists(row, max_size=8).map(lambda rs: [(i + 2, r) for i, r in enumerate(rs)])


DIRECTORY = Directory(
    unit_names={"B市人民政府"}, short_names={"市政府": {"B市人民政府"}}, region_codes={"110000"},
    usernames={"zhang"}, people={("甲", "B市人民政府")},
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=rows(UNIT_COLUMNS), people=rows(PERSON_COLUMNS))
def test_validation_of_arbitrary_cells_returns_a_clean_report(units, people):
    seen = []

    result = importer.validate(units, people, DIRECTORY, lambda stage, done, total: seen.append((done, total)))

    assert isinstance(result, importer.Validation)
    rows_of = {UNIT_SHEET: {n for n, _ in units}, PERSON_SHEET: {n for n, _ in people}}
    for error in result.errors:
        assert isinstance(error, RowError)
        assert error.sheet in rows_of and error.row in rows_of[error.sheet]
        assert error.column in (UNIT_COLUMNS if error.sheet == UNIT_SHEET else PERSON_COLUMNS)
        assert isinstance(error.reason, str) and error.reason
        str(error)
    # Every row is either ready to write or reported; nothing half-valid slips through.
    reported = {(e.sheet, e.row) for e in result.errors}
    for u in result.units:
        assert (UNIT_SHEET, u.row) not in reported
        assert u.name and u.kind
    for p in result.people:
        assert (PERSON_SHEET, p.row) not in reported
        assert p.name and p.unit and p.staffing
    assert {u.row for u in result.units} | {r for s, r in reported if s == UNIT_SHEET} == rows_of[UNIT_SHEET]
    assert {p.row for p in result.people} | {r for s, r in reported if s == PERSON_SHEET} == rows_of[PERSON_SHEET]
    if units or people:
        assert seen[-1] == (len(units) + len(people),) * 2
