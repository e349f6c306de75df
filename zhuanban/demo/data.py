"""The demo data: the five public cases of the domain brief, as declarations.

Places follow the studies' anonymisation (B市 with its districts H区 and T区; Hangzhou's district L is
临平区) with GB/T 2260-shaped codes; units are real kinds of bodies; every person is fictional.  The loader
(``loader.py``) expands these declarations and the task forces of ``cases.py`` — generated staff, one liaison per member unit — and writes
them through the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from zhuanban.org.models import Region, Unit
from zhuanban.taskforces.models import Membership, MemberUnit, TaskForce

DEMO_PASSWORD = "zhuanban-demo"

K = Unit.Kind
R = Membership.Role
UR = MemberUnit.Role
T = TaskForce


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# ---- regions and units -----------------------------------------------------------------------------

L = Region.Level
REGIONS: list[tuple[str, str, str, str | None]] = [
    ("110000", "B市", L.PROVINCE, None),
    ("110108", "H区", L.DISTRICT, "110000"),
    ("110108001", "北园街道", L.STREET, "110108"),
    ("110108002", "南湖街道", L.STREET, "110108"),
    ("110108003", "西山街道", L.STREET, "110108"),
    ("110112", "T区", L.DISTRICT, "110000"),
    ("330000", "浙江省", L.PROVINCE, None),
    ("330100", "杭州市", L.CITY, "330000"),
    ("330113", "临平区", L.DISTRICT, "330100"),
    ("330113001", "临平街道", L.STREET, "330113"),
    ("330113002", "南苑街道", L.STREET, "330113"),
    ("330113003", "东湖街道", L.STREET, "330113"),
]

# (key = short name, full name, kind, parent key, region code)
UNITS: list[tuple[str, str, str, str | None, str]] = [
    ("B市委", "中共B市委员会", K.PARTY_GOV, None, "110000"),
    ("市政府", "B市人民政府", K.PARTY_GOV, None, "110000"),
    ("市人大常委会", "B市人民代表大会常务委员会", K.CONGRESS_CPPCC, None, "110000"),
    ("人大办公厅", "B市人大常委会办公厅", K.CONGRESS_CPPCC, "市人大常委会", "110000"),
    ("法制办", "B市人大常委会法制办公室", K.CONGRESS_CPPCC, "市人大常委会", "110000"),
    ("城建环保办", "B市人大常委会城市建设环境保护办公室", K.CONGRESS_CPPCC, "市人大常委会", "110000"),
    ("研究室", "B市人大常委会研究室", K.CONGRESS_CPPCC, "市人大常委会", "110000"),
    ("市政府办公厅", "B市人民政府办公厅", K.PARTY_GOV, "市政府", "110000"),
    ("市发改委", "B市发展和改革委员会", K.PARTY_GOV, "市政府", "110000"),
    ("市经信局", "B市经济和信息化局", K.PARTY_GOV, "市政府", "110000"),
    ("市卫健委", "B市卫生健康委员会", K.PARTY_GOV, "市政府", "110000"),
    ("市大数据局", "B市大数据管理局", K.PARTY_GOV, "市政府", "110000"),
    ("市住建委", "B市住房和城乡建设委员会", K.PARTY_GOV, "市政府", "110000"),
    ("市规自委", "B市规划和自然资源委员会", K.PARTY_GOV, "市政府", "110000"),
    ("市交通委", "B市交通委员会", K.PARTY_GOV, "市政府", "110000"),
    ("市水务局", "B市水务局", K.PARTY_GOV, "市政府", "110000"),
    ("市生态环境局", "B市生态环境局", K.PARTY_GOV, "市政府", "110000"),
    ("市城管委", "B市城市管理委员会", K.PARTY_GOV, "市政府", "110000"),
    ("市园林绿化局", "B市园林绿化局", K.PARTY_GOV, "市政府", "110000"),
    ("市教委", "B市教育委员会", K.PARTY_GOV, "市政府", "110000"),
    ("市公安局", "B市公安局", K.PARTY_GOV, "市政府", "110000"),
    ("市财政局", "B市财政局", K.PARTY_GOV, "市政府", "110000"),
    ("市商务局", "B市商务局", K.PARTY_GOV, "市政府", "110000"),
    ("市文旅局", "B市文化和旅游局", K.PARTY_GOV, "市政府", "110000"),
    ("市民政局", "B市民政局", K.PARTY_GOV, "市政府", "110000"),
    ("市人社局", "B市人力资源和社会保障局", K.PARTY_GOV, "市政府", "110000"),
    ("市市场监管局", "B市市场监督管理局", K.PARTY_GOV, "市政府", "110000"),
    ("市应急局", "B市应急管理局", K.PARTY_GOV, "市政府", "110000"),
    ("市科委", "B市科学技术委员会", K.PARTY_GOV, "市政府", "110000"),
    ("市国资委", "B市人民政府国有资产监督管理委员会", K.PARTY_GOV, "市政府", "110000"),
    ("市政务服务局", "B市政务服务管理局", K.PARTY_GOV, "市政府", "110000"),
    ("市司法局", "B市司法局", K.PARTY_GOV, "市政府", "110000"),
    ("中科大脑", "中科大脑科技有限公司", K.ENTERPRISE, None, "110000"),
    ("太极股份", "太极计算机股份有限公司", K.STATE_ENTERPRISE, None, "110000"),
    ("腾讯", "腾讯科技有限公司", K.ENTERPRISE, None, "110000"),
    ("百度", "百度在线网络技术有限公司", K.ENTERPRISE, None, "110000"),
    ("B市联通", "中国联合网络通信有限公司B市分公司", K.STATE_ENTERPRISE, None, "110000"),
    ("中国电力科技集团", "中国电力科技集团有限公司", K.STATE_ENTERPRISE, None, "110000"),
    ("H区委", "中共B市H区委员会", K.PARTY_GOV, None, "110108"),
    ("H区政府", "B市H区人民政府", K.PARTY_GOV, None, "110108"),
    ("H区指挥中心", "B市H区城市运行指挥中心", K.PUBLIC_INSTITUTION, "H区政府", "110108"),
    ("H区经信办", "B市H区经济和信息化办公室", K.PARTY_GOV, "H区政府", "110108"),
    ("H区公安分局", "B市公安局H分局", K.PARTY_GOV, "市公安局", "110108"),
    ("H区房管局", "B市H区房屋管理局", K.PARTY_GOV, "H区政府", "110108"),
    ("H区城管委", "B市H区城市管理委员会", K.PARTY_GOV, "H区政府", "110108"),
    ("北园街道", "B市H区北园街道办事处", K.PARTY_GOV, "H区政府", "110108001"),
    ("南湖街道", "B市H区南湖街道办事处", K.PARTY_GOV, "H区政府", "110108002"),
    ("西山街道", "B市H区西山街道办事处", K.PARTY_GOV, "H区政府", "110108003"),
    ("T区政府", "B市T区人民政府", K.PARTY_GOV, None, "110112"),
    ("临平区委", "中共杭州市临平区委员会", K.PARTY_GOV, None, "330113"),
    ("临平区政府", "杭州市临平区人民政府", K.PARTY_GOV, None, "330113"),
    ("区委宣传部", "中共杭州市临平区委宣传部", K.PARTY_GOV, "临平区委", "330113"),
    ("区委网信办", "中共杭州市临平区委网络安全和信息化委员会办公室", K.PARTY_GOV, "临平区委", "330113"),
    ("区融媒体中心", "杭州市临平区融媒体中心", K.PUBLIC_INSTITUTION, "区委宣传部", "330113"),
    ("区文广旅体局", "杭州市临平区文化和广电旅游体育局", K.PARTY_GOV, "临平区政府", "330113"),
    ("临平公安分局", "杭州市公安局临平区分局", K.PARTY_GOV, None, "330113"),
    ("区建设局", "杭州市临平区住房和城乡建设局", K.PARTY_GOV, "临平区政府", "330113"),
    ("区综合执法局", "杭州市临平区综合行政执法局", K.PARTY_GOV, "临平区政府", "330113"),
    ("区卫健局", "杭州市临平区卫生健康局", K.PARTY_GOV, "临平区政府", "330113"),
    ("临平街道", "杭州市临平区临平街道办事处", K.PARTY_GOV, "临平区政府", "330113001"),
    ("南苑街道", "杭州市临平区南苑街道办事处", K.PARTY_GOV, "临平区政府", "330113002"),
    ("东湖街道", "杭州市临平区东湖街道办事处", K.PARTY_GOV, "临平区政府", "330113003"),
    ("临平经开区", "临平经济技术开发区管理委员会", K.PARTY_GOV, "临平区政府", "330113"),
    ("临平城建集团", "杭州市临平城市建设集团有限公司", K.STATE_ENTERPRISE, None, "330113"),
]

# The 23 city departments stationed in T区 for the city sub-centre (brief: "23 city departments").
FZX_DEPARTMENTS = [
    "市发改委", "市规自委", "市住建委", "市交通委", "市水务局", "市生态环境局", "市城管委", "市园林绿化局",
    "市教委", "市卫健委", "市公安局", "市财政局", "市商务局", "市文旅局", "市民政局", "市人社局",
    "市市场监管局", "市应急局", "市经信局", "市科委", "市国资委", "市政务服务局", "市大数据局",
]


# ---- people with names (the rest are generated) ----------------------------------------------------


@dataclass(frozen=True)
class P:
    key: str
    name: str
    unit: str
    post: str
    staffing: str = ""  # "" = by the unit's kind
    leader: bool = False
    username: str = ""


PEOPLE: list[P] = [
    P("chen_lixin", "陈立新", "市政府", "副市长", username="head"),
    P("zhao_wenbo", "赵文博", "市人大常委会", "副主任"),
    P("yuan_zhiping", "袁志平", "市政府办公厅", "副秘书长"),
    P("wang_liqun", "王立群", "市发改委", "副主任"),
    P("zhou_zhiqiang", "周志强", "市住建委", "党组书记、主任", leader=True, username="leader"),
    P("xu_zhenyu", "徐振宇", "市住建委", "副主任"),
    P("wu_siyuan", "吴思远", "市住建委", "城市建设处四级主任科员", username="member"),
    P("liu_haitao", "刘海涛", "市经信局", "局长"),
    P("zheng_yaqin", "郑雅琴", "市大数据局", "副局长"),
    P("huang_zhenhua", "黄振华", "市卫健委", "副主任"),
    P("deng_weidong", "邓卫东", "市发改委", "副主任"),
    P("lin_yiming", "林一鸣", "市大数据局", "数据资源处处长"),
    P("song_bowen", "宋博文", "中科大脑", "首席科学家"),
    P("hu_xiaoyan", "胡晓燕", "城建环保办", "副主任"),
    P("du_hongwei", "杜宏伟", "H区委", "区委书记"),
    P("xu_jiaming", "许嘉明", "H区政府", "区长"),
    P("liang_jing", "梁静", "H区指挥中心", "主任", username="office"),
    P("tang_ziang", "唐子昂", "百度", "智能城市事业部资深架构师", username="external"),
    P("jin_guoliang", "金国良", "临平区政府", "区长"),
    P("shen_jiayi", "沈佳怡", "区文广旅体局", "副局长", username="director"),
    P("fang_mingyuan", "方明远", "区委宣传部", "部长"),
    P("qian_xiaolan", "钱晓岚", "区委宣传部", "新闻科科长", username="liaison"),
    P("ye_chen", "叶晨", "区委网信办", "主任", username="online"),
    P("pan_yonggang", "潘永刚", "区综合执法局", "局长"),
    P("jiang_haifeng", "蒋海峰", "区文广旅体局", "局长"),
]

# The demo logins (all with DEMO_PASSWORD) and what each shows.
LOGINS: list[tuple[str, str, str]] = [
    ("admin", "系统管理员", "全部专班、组织名录导入"),
    ("director", "办公室主任（临平区亚运办）", "一办N专班：办公室及其统筹的各专班；待裁定的推诿争议"),
    ("head", "专班组长（城市副中心大专班；物业立法专班）", "大专班与各驻区小专班、12项重点任务挂图作战、已解散专班的历史"),
    ("liaison", "联络员（区委宣传部，身兼4个专班）", "个人负荷预警：4个运行中专班、合计120%；待我签收的任务"),
    ("member", "专班成员（市住建委驻T区专班）", "本人所在专班；我的任务与待我签收"),
    ("external", "外部成员（百度，城市大脑专班）", "仅本人参与的专班"),
    ("leader", "派出单位负责人（市住建委主任）", "本单位人员的全部抽调情况；签收派给市住建委的任务"),
    ("office", "办公室主任（H区城市大脑运行专班）", "周例会任务挂图作战：红黄灯、进展、改派"),
    ("online", "网络宣传专班组长（区委网信办主任）", "推诿争议：把任务退回区亚运办的一方"),
]


# ---- task forces -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class M:
    """A named member."""

    person: str
    role: str
    pct: int
    full_time: bool = False
    group: str = ""
    liaison_for: str = ""  # unit key: the member unit this liaison speaks for
    start: str = ""


@dataclass(frozen=True)
class S:
    """A batch of generated staff from one unit.  ``pool`` reuses the people of another batch (same
    task-force key and unit) instead of new ones."""

    unit: str
    count: int
    role: str = R.MEMBER
    pct: int = 50
    full_time: bool = False
    group: str = ""
    pool: str = ""
    offset: int = 0


@dataclass(frozen=True)
class TF:
    key: str
    name: str
    core_matter: str
    region: str
    basis: str
    established_on: str
    task_nature: str
    purpose: str
    decided_by: str
    goals: str = ""
    basis_document_no: str = ""
    basis_note: str = ""
    planned_end: str = ""
    dissolution_conditions: str = ""
    entity_operation: bool = True
    decision_mode: str = T.DecisionMode.LEADING_CORE
    leading_body: str = ""
    lead_unit: str = ""
    parent: str = ""
    parent_relation: str = ""
    is_office: bool = False
    units: list[tuple[str, str, str]] = field(default_factory=list)  # (unit key, role, joined_on or "")
    groups: list[tuple[str, str]] = field(default_factory=list)  # (name, lead unit key)
    members: list[M] = field(default_factory=list)
    staff: list[S] = field(default_factory=list)
    targets: list[tuple[str, str, float | None, str, str]] = field(default_factory=list)
    demands: list[tuple[str, str, bool]] = field(default_factory=list)  # (title, source, done)
    replacements: list[tuple[str, str, str]] = field(default_factory=list)  # (unit key of liaison, on, why)
    dissolve: tuple[str, str, str] | None = None  # (on, summary, lessons)

