from __future__ import annotations

from django.urls import reverse

from tests.factories import PersonFactory, RegionFactory, UnitFactory
from tests.web.conftest import text
from zhuanban.org.models import Unit

UNITS = reverse("directory_units")
PEOPLE = reverse("directory_people")


def unit_rows(response) -> list[tuple[str, int]]:
    return [(u.name, depth) for u, depth in response.context["page"].object_list]


def test_units_are_shown_as_a_tree_by_parent(cast, as_user):
    child = UnitFactory(name="市住建委房屋管理处", kind=Unit.Kind.PARTY_GOV, parent=cast.units.zjw)
    UnitFactory(name="房屋管理处一科", kind=Unit.Kind.PARTY_GOV, parent=child)
    rows = unit_rows(as_user(cast.bob).get(UNITS))
    i = rows.index(("市住房和城乡建设委员会", 0))
    assert rows[i + 1] == ("市住建委房屋管理处", 1)
    assert rows[i + 2] == ("房屋管理处一科", 2)


def test_units_filter_by_kind_region_and_search(cast, as_user):
    region = RegionFactory(code="110108", name="海淀区")
    UnitFactory(name="海淀区城管委", kind=Unit.Kind.PARTY_GOV, region=region)
    client = as_user(cast.bob)
    assert unit_rows(client.get(UNITS, {"kind": "enterprise"})) == [("腾讯科技有限公司", 0)]
    assert unit_rows(client.get(UNITS, {"region": region.pk})) == [("海淀区城管委", 0)]
    assert unit_rows(client.get(UNITS, {"q": "腾讯"})) == [("腾讯科技有限公司", 0)]
    assert unit_rows(client.get(UNITS, {"q": "住建委"})) == [("市住房和城乡建设委员会", 0)]  # by short name
    assert client.get(UNITS, {"region": "x"}).status_code == 200


def test_people_search_and_unit_filter_link_to_person_pages(cast, as_user):
    client = as_user(cast.bob)
    response = client.get(PEOPLE, {"q": "联络"})
    assert [p.name for p in response.context["page"].object_list] == ["陈联络"]
    assert reverse("person_detail", args=[cast.people.liam.pk]) in text(response)
    names = {p.name for p in client.get(PEOPLE, {"unit": cast.units.zjw.pk}).context["page"].object_list}
    assert names == {"陈联络", "李成员", "孙局长"}


def test_an_external_member_sees_only_their_contacts_and_units(cast, as_user):
    client = as_user(cast.erin)
    names = {p.name for p in client.get(PEOPLE).context["page"].object_list}
    assert names == {"赵外部", "王组长", "刘主任", "陈联络"}
    units = {name for name, _ in unit_rows(client.get(UNITS))}
    assert "市司法局" not in units and "腾讯科技有限公司" in units
    assert client.get(reverse("unit_detail", args=[cast.units.sfj.pk])).status_code == 404
    assert client.get(reverse("person_detail", args=[cast.people.charlie.pk])).status_code == 404


def test_unit_page_shows_people_and_task_forces(cast, as_user):
    page = text(as_user(cast.bob).get(reverse("unit_detail", args=[cast.units.zjw.pk])))
    assert "李成员" in page and "物业管理条例立法专班" in page
    assert as_user(cast.bob).get(reverse("unit_detail", args=[99999])).status_code == 404


def test_person_numbers_in_directory_are_not_guessable(cast, as_user):
    assert as_user(cast.admin).get(reverse("person_detail", args=[99999])).status_code == 404


def test_a_big_directory_is_paginated(cast, as_user):
    PersonFactory.create_batch(60, home_unit=cast.units.sfj)
    response = as_user(cast.bob).get(PEOPLE)
    assert len(response.context["page"].object_list) == 50 and "下一页" in text(response)
