"""Phase ``org``: the five region levels (国家 / 省 / 市 / 区县 / 街道乡镇), about 2,000 units of every kind at
province scale, and the people who work in them (phone and ID-card numbers encrypted like any other)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from faker.providers.person.zh_CN import Provider as PersonNames

from zhuanban.org.models import Person, Region, Unit

from . import gen_names as N
from .gen_common import Context, UnitInfo, bulk, cumulate, weighted_index

K = Unit.Kind
L = Region.Level
GOV = Unit.GOVERNMENT_KINDS


@dataclass
class UnitSpec:
    name: str
    short: str
    kind: str
    level: str
    region_id: int
    city: int | None
    parent: int | None  # index into the spec list
    weight: float  # relative head count
    top: bool = False


class _Places:
    """Two-syllable place names, unique across the run."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set()

    def take(self, suffix: str, first: list[str] = N.PLACE_FIRST, second: list[str] = N.PLACE_SECOND) -> str:
        for _ in range(200):
            a, b = self.rng.choice(first), self.rng.choice(second)
            if a != b and a + b not in self.used:
                self.used.add(a + b)
                return a + b + suffix
        raise RuntimeError("ran out of place names")


def run(ctx: Context) -> None:
    rng = ctx.rng("org")
    with ctx.bar("组织：区划") as bar:
        _regions(ctx, rng)
        bar.update(sum(len(v) if isinstance(v, list) else 1 for v in ctx.regions.values()))
    specs = _unit_specs(ctx, rng)
    with ctx.bar("组织：单位", len(specs)) as bar:
        _write_units(ctx, specs, bar)
    with ctx.bar("组织：人员", ctx.spec.people) as bar:
        _people(ctx, rng, specs, bar)


# ---- regions ------------------------------------------------------------------------------------------


def _regions(ctx: Context, rng: random.Random) -> None:
    spec, places = ctx.spec, _Places(rng)
    national = Region.objects.filter(level=L.NATIONAL).order_by("pk").first()
    rows: list[Region] = []
    if national is None:
        national = Region(id=ctx.ids(Region, 1)[0], code="100000", name="中华人民共和国", level=L.NATIONAL)
        rows.append(national)
    # Fictional province codes (91–99): never a real GB/T 2260 prefix, so never real data's codes.
    prefixes = [p for p in range(91, 100) if not any(c.startswith(str(p)) for c in ctx.taken_region_codes)]
    if not prefixes:
        raise RuntimeError("no free fictional province code (91–99) left in this database")
    pp = str(rng.choice(prefixes))
    province = Region(id=ctx.ids(Region, 1)[0], code=f"{pp}0000", name=places.take("省"), level=L.PROVINCE,
                      parent_id=national.pk)
    rows.append(province)
    cities, districts, streets = [], [], []
    for ci in range(spec.cities):
        city = Region(id=ctx.ids(Region, 1)[0], code=f"{pp}{ci + 1:02d}00", name=places.take("市"), level=L.CITY,
                      parent_id=province.pk)
        rows.append(city)
        cities.append(city)
        for di in range(rng.randint(*spec.districts_per_city)):
            suffix = "区" if di < 3 or rng.random() < 0.6 else "县"
            district = Region(id=ctx.ids(Region, 1)[0], code=f"{pp}{ci + 1:02d}{di + 1:02d}",
                              name=places.take(suffix), level=L.DISTRICT, parent_id=city.pk)
            rows.append(district)
            districts.append((district, ci))
            street_names: set[str] = set()
            for si in range(rng.randint(*spec.streets_per_district)):
                while True:
                    base = rng.choice(N.PLACE_FIRST + N.STREET_SECOND) + rng.choice(N.STREET_SECOND)
                    if base not in street_names and base[0] != base[1]:
                        street_names.add(base)
                        break
                kind = "街道" if suffix == "区" or rng.random() < 0.3 else rng.choice(["镇", "镇", "乡"])
                street = Region(id=ctx.ids(Region, 1)[0], code=f"{district.code}{si + 1:03d}", name=base + kind,
                                level=L.STREET, parent_id=district.pk)
                rows.append(street)
                streets.append((street, district, ci))
    bulk(Region, rows)
    ctx.regions.update(national=national, province=province, cities=cities, districts=districts, streets=streets)
    ctx.counts["regions"] = len(rows)


# ---- units --------------------------------------------------------------------------------------------


def _government(specs: list[UnitSpec], place: str, level: str, region_id: int, city: int | None,
                party: list[tuple[str, str]], departments: list[tuple[str, str]],
                institutions: list[tuple[str, str]], dept_weight: float) -> int:
    """The 党委 / 政府 / 人大 / 政协 of one place and their departments; returns the government's index."""

    def add(name: str, short: str, kind: str, parent: int | None, weight: float, top: bool = False) -> int:
        specs.append(UnitSpec(name, short, kind, level, region_id, city, parent, weight, top))
        return len(specs) - 1

    committee = add(f"中共{place}委员会", f"{place}委", K.PARTY_GOV, None, 2)
    government = add(f"{place}人民政府", f"{place}政府", K.PARTY_GOV, None, 2.5, top=True)
    if level != L.STREET:
        congress = add(f"{place}人民代表大会常务委员会", f"{place}人大常委会", K.CONGRESS_CPPCC, None, 1.2)
        cppcc = add(f"中国人民政治协商会议{place}委员会", f"{place}政协", K.CONGRESS_CPPCC, None, 1)
        if level == L.PROVINCE:
            add(f"{place}人大常委会办公厅", f"{place}人大办公厅", K.CONGRESS_CPPCC, congress, 1)
            add(f"{place}人大常委会法制工作委员会", f"{place}人大法工委", K.CONGRESS_CPPCC, congress, 1)
            add(f"{place}政协办公厅", f"{place}政协办公厅", K.CONGRESS_CPPCC, cppcc, 1)
    for full, short in party:
        add(f"中共{place}{full}", f"{place}{short}", K.PARTY_GOV, committee, dept_weight * 0.8)
    for full, short in departments:
        add(f"{place}{full}", f"{place}{short}", K.PARTY_GOV, government, dept_weight)
    for full, short in institutions:
        add(f"{place}{full}", f"{place}{short}", K.PUBLIC_INSTITUTION, government, dept_weight * 0.8)
    return government


def _unit_specs(ctx: Context, rng: random.Random) -> list[UnitSpec]:
    spec, faker = ctx.spec, ctx.faker
    province = ctx.regions["province"]
    p = province.name
    specs: list[UnitSpec] = []
    small = spec.name == "demo"
    _government(specs, p, L.PROVINCE, province.pk, None, N.PROVINCE_PARTY[: 2 if small else 7],
                N.PROVINCE_DEPARTMENTS[: spec.province_departments],
                N.PROVINCE_INSTITUTIONS[: max(0, spec.province_departments // 4)], 6)
    for name in N.PROVINCE_STATE_ENTERPRISES[: max(1, spec.province_departments // 4)]:
        specs.append(UnitSpec(f"{p}{name}", "", K.STATE_ENTERPRISE, L.PROVINCE, province.pk, None, None, 3))
    for ci, city in enumerate(ctx.regions["cities"]):
        _government(specs, city.name, L.CITY, city.pk, ci, N.CITY_PARTY[: 2 if small else 4],
                    N.CITY_DEPARTMENTS[: spec.city_departments], N.CITY_INSTITUTIONS[: 2 if small else 7], 3)
        for name in N.CITY_STATE_ENTERPRISES[: spec.state_enterprises_per_city]:
            specs.append(UnitSpec(f"{city.name}{name}", "", K.STATE_ENTERPRISE, L.CITY, city.pk, ci, None, 2.5))
    for district, ci in ctx.regions["districts"]:
        _government(specs, district.name, L.DISTRICT, district.pk, ci, [],
                    N.DISTRICT_DEPARTMENTS[: spec.district_departments],
                    N.DISTRICT_INSTITUTIONS[: 1], 1.5)
    district_gov = {s.region_id: i for i, s in enumerate(specs) if s.level == L.DISTRICT and s.top}
    for street, district, ci in ctx.regions["streets"]:
        if rng.random() < spec.street_unit_share:
            office = "街道办事处" if street.name.endswith("街道") else "人民政府"
            specs.append(UnitSpec(f"{district.name}{street.name}{office}", street.name, K.PARTY_GOV, L.STREET,
                                  street.pk, ci, district_gov[district.pk], 1.5))
    cities = ctx.regions["cities"]

    def somewhere() -> tuple[int, int | None, str]:
        if rng.random() < 0.2:
            return province.pk, None, p.removesuffix("省")
        ci = rng.randrange(len(cities))
        return cities[ci].pk, ci, cities[ci].name.removesuffix("市")

    industries = ["科技", "信息技术", "建设工程", "环保科技", "智能装备", "生物医药", "新能源", "物流", "数据服务",
                  "文化传媒", "电子", "网络科技", "建筑设计", "检测认证", "农业科技"]
    for _ in range(spec.enterprises):
        region_id, ci, place = somewhere()
        name = f"{place}{faker.company_prefix()}{rng.choice(industries)}{rng.choice(['有限公司', '股份有限公司'])}"
        specs.append(UnitSpec(name, "", K.ENTERPRISE, L.CITY if ci is not None else L.PROVINCE, region_id, ci,
                              None, 1))
    for kind, suffixes, count, weight in ((K.UNIVERSITY, N.UNIVERSITIES, spec.universities, 3),
                                         (K.RESEARCH, N.RESEARCH, spec.research, 2),
                                         (K.SOCIAL, N.SOCIAL, spec.social, 0.5)):
        for i in range(count):
            if i < len(suffixes) and kind != K.SOCIAL:
                region_id, ci, place = province.pk, None, p.removesuffix("省")
            else:
                region_id, ci, place = somewhere()
            name = f"{place}{suffixes[i % len(suffixes)]}"
            specs.append(UnitSpec(name, "", kind, L.CITY if ci is not None else L.PROVINCE, region_id, ci, None,
                                  weight))
    # Unit names are unique in the directory: number repeats (and anything already in this database).
    seen = set(ctx.taken_unit_names)
    for s in specs:
        base, n = s.name, 1
        while s.name in seen:
            n += 1
            s.name = f"{base}（{n}）"
        seen.add(s.name)
    return specs


def _write_units(ctx: Context, specs: list[UnitSpec], bar) -> None:
    ids = ctx.ids(Unit, len(specs))
    rows = [Unit(id=ids[i], name=s.name[:120], short_name=s.short[:60], kind=s.kind,
                 parent_id=ids[s.parent] if s.parent is not None else None, region_id=s.region_id)
            for i, s in enumerate(specs)]
    bulk(Unit, rows, bar)
    ctx.units = [UnitInfo(ids[i], s.name, s.short or s.name, s.kind, s.level, s.region_id, s.city,
                          s.kind in GOV, s.top) for i, s in enumerate(specs)]
    ctx.counts["units"] = len(rows)
    kinds: dict[str, int] = {}
    for s in specs:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    ctx.counts["units_by_kind"] = kinds


# ---- people -------------------------------------------------------------------------------------------

_LAST = list(PersonNames.last_names.keys())
_LAST_W = cumulate(PersonNames.last_names.values())
_GIVEN_ONE = [g for g in PersonNames.first_names if len(g) == 1]
_GIVEN_TWO = [g for g in PersonNames.first_names if len(g) == 2]
_PHONE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "157", "158", "159", "166", "176", "177", "180", "181", "186", "187", "188", "189", "199"]
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def person_name(rng: random.Random) -> str:
    last = _LAST[weighted_index(rng, _LAST_W)]
    r = rng.random()  # given names of one or two characters, as Faker's zh_CN list has them
    given = rng.choice(_GIVEN_ONE) if r < 0.3 else rng.choice(_GIVEN_TWO) if r < 0.6 else (
        rng.choice(_GIVEN_ONE) + rng.choice(_GIVEN_ONE))
    return last + given


def id_card(rng: random.Random, region_code: str, today: dt.date) -> str:
    """An 18-digit resident ID number with a valid ISO 7064 check digit (fictional region prefix)."""
    birth = today - dt.timedelta(days=rng.randint(23 * 365, 59 * 365))
    body = f"{region_code[:6]}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check


def _posts(kind: str) -> tuple[list[str], list[str], list[str]]:
    return {
        K.PARTY_GOV: N.POSTS_GOV, K.CONGRESS_CPPCC: N.POSTS_GOV, K.PUBLIC_INSTITUTION: N.POSTS_INSTITUTION,
        K.STATE_ENTERPRISE: N.POSTS_ENTERPRISE, K.ENTERPRISE: N.POSTS_ENTERPRISE, K.UNIVERSITY: N.POSTS_UNIVERSITY,
        K.RESEARCH: N.POSTS_RESEARCH, K.SOCIAL: N.POSTS_SOCIAL,
    }[kind]


def _staffing(rng: random.Random, kind: str) -> str:
    if kind in (K.PARTY_GOV, K.CONGRESS_CPPCC):
        return Person.Staffing.ADMINISTRATIVE if rng.random() < 0.85 else Person.Staffing.NON_STAFF
    if kind == K.PUBLIC_INSTITUTION:
        return Person.Staffing.INSTITUTIONAL if rng.random() < 0.9 else Person.Staffing.NON_STAFF
    return Person.Staffing.EXTERNAL  # enterprises, universities, institutes, social bodies


def _people(ctx: Context, rng: random.Random, specs: list[UnitSpec], bar) -> None:
    total = ctx.spec.people
    weights = [s.weight for s in specs]
    base = 3  # a leader, a deputy and someone to do the work
    spare = total - base * len(specs)
    if spare < 0:
        raise RuntimeError(f"{total} people are too few for {len(specs)} units")
    wsum = sum(weights)
    sizes = [base + int(spare * w / wsum) for w in weights]
    heaviest = sorted(range(len(specs)), key=lambda j: -weights[j])
    for i in range(total - sum(sizes)):  # the rounding remainder, to the heaviest units first
        sizes[heaviest[i % len(specs)]] += 1
    region_codes = {r.pk: r.code for r in [ctx.regions["province"], *ctx.regions["cities"]]}
    region_codes.update({d.pk: d.code for d, _ in ctx.regions["districts"]})
    region_codes.update({s.pk: s.code for s, _, _ in ctx.regions["streets"]})
    ids = iter(ctx.ids(Person, total))
    rows: list[Person] = []
    for ui, (unit, size) in enumerate(zip(ctx.units, sizes, strict=True)):
        lead_posts, deputy_posts, staff_posts = _posts(unit.kind)
        code = region_codes[unit.region_id]
        for k in range(size):
            pid = next(ids)
            name = person_name(rng)
            post = lead_posts[0] if k == 0 else rng.choice(deputy_posts) if k <= 2 else rng.choice(staff_posts)
            phone = rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}" if rng.random() < 0.9 else ""
            card = id_card(rng, code, ctx.today) if rng.random() < 0.7 else ""
            rows.append(Person(id=pid, name=name, home_unit_id=unit.id, post=post,
                               staffing=_staffing(rng, unit.kind), phone=phone, id_card_no=card,
                               is_unit_leader=k == 0))
            unit.people.append(pid)
            ctx.person_unit[pid] = ui
            ctx.person_name[pid] = name
            if k == 0:
                ctx.leaders.add(pid)
    # Unit leaders log in (they see where their staff are seconded); their accounts go in with them.
    ctx.ensure_accounts(ctx.leaders, write_person=False)
    for person in rows:
        person.user_id = ctx.person_user.get(person.pk)
    # Each row encrypts its phone and ID-card number (SM4-GCM or AES-GCM) on the way in.
    bulk(Person, rows, bar)
    ctx.counts["people"] = len(rows)
