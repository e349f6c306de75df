"""The five public cases of the domain brief as task-force declarations (see ``data.py`` for the types).

Every member unit gets a liaison: a named one where the case says who, a generated one otherwise.
"""

from __future__ import annotations

from .data import FZX_DEPARTMENTS, TF, UR, M, R, S, T

HC = TF(
    key="hc",
    name="B市健康码项目专班",
    core_matter="疫情防控关键期，快速研发上线全市统一的“健康码”系统，支撑社区出入管理和复工复产",
    goals="6天内完成1000项以上数据归集；2020年3月1日前系统上线；政企技术团队集中办公、扁平化决策，需求清单每日滚动更新。",
    region="110000",
    basis=T.Basis.NOTICE,
    basis_document_no="B疫防组发〔2020〕12号",
    established_on="2020-01-27",
    planned_end="2020-03-31",
    dissolution_conditions="健康码系统上线并平稳运行，后台运维移交保障专班后撤销",
    task_nature=T.Nature.SINGLE,
    purpose=T.Purpose.EMERGENCY,
    leading_body="B市新冠肺炎疫情防控工作领导小组",
    decided_by="B市新冠肺炎疫情防控工作领导小组",
    units=[("市经信局", UR.LEAD, ""), ("市发改委", UR.LEAD, ""), ("市卫健委", UR.LEAD, ""),
           ("市大数据局", UR.LEAD, ""), ("中科大脑", UR.PARTICIPATING, ""), ("太极股份", UR.PARTICIPATING, ""),
           ("腾讯", UR.PARTICIPATING, "")],
    groups=[("需求与数据归集组", "市大数据局"), ("研发组", "腾讯"), ("测试与安全组", "太极股份"),
            ("算法模型组", "中科大脑")],
    members=[
        M("liu_haitao", R.HEAD, 50),
        M("zheng_yaqin", R.RESPONSIBLE_DEPUTY, 80),
        M("huang_zhenhua", R.DEPUTY, 40),
        M("deng_weidong", R.DEPUTY, 30),
        M("lin_yiming", R.OFFICE_DIRECTOR, 100, full_time=True),
        M("song_bowen", R.CHIEF_EXPERT, 80, group="算法模型组"),
    ],
    staff=[
        S("市大数据局", 12, pct=100, full_time=True, group="需求与数据归集组"),
        S("市经信局", 3, pct=60, group="需求与数据归集组"),
        S("市卫健委", 3, pct=50, group="需求与数据归集组"),
        S("腾讯", 20, R.EXTERNAL, pct=100, full_time=True, group="研发组"),
        S("太极股份", 15, R.EXTERNAL, pct=100, full_time=True, group="测试与安全组"),
        S("中科大脑", 11, R.EXTERNAL, pct=100, full_time=True, group="算法模型组"),
    ],
    targets=[("6天内完成数据归集", "归集数据项", 1000, "项", "2020-02-02"),
             ("健康码系统正式上线", "", None, "", "2020-03-01")],
    demands=[(title, "需求联合调研", True) for title in (
        "重点人员名单比对接口", "社区出入扫码核验", "返京人员信息填报", "核酸检测结果接入",
        "企业复工人员健康状态查询", "跨省健康码互认", "老年人代查代办", "高并发压力测试")],
    dissolve=("2020-03-04",
              "健康码系统于2020年3月1日正式上线；6天内归集数据1000余项，约70名技术人员集中攻坚。",
              "政企协同、集中办公、扁平化决策；需求清单每日滚动更新；上线前完成三轮压力测试。后台运维转由保障专班承接。"),
)

HC_OPS = TF(
    key="hc_ops",
    name="B市健康码后台运维保障专班",
    core_matter="健康码上线后的后台运维、功能迭代和高峰期保障",
    goals="7×24小时值守，系统可用率不低于99.9%；新增需求48小时内响应。",
    region="110000",
    basis=T.Basis.NOTICE,
    basis_document_no="B疫防组发〔2020〕31号",
    established_on="2020-03-05",
    planned_end="2022-12-31",
    dissolution_conditions="疫情防控转段、健康码停用后撤销",
    task_nature=T.Nature.SINGLE,
    purpose=T.Purpose.EMERGENCY,
    decision_mode=T.DecisionMode.LEAD_DEPARTMENT,
    lead_unit="市大数据局",
    parent="hc",
    parent_relation=T.ParentRelation.SUB,
    decided_by="B市新冠肺炎疫情防控工作领导小组",
    units=[("市大数据局", UR.LEAD, ""), ("市经信局", UR.PARTICIPATING, ""), ("市卫健委", UR.PARTICIPATING, ""),
           ("腾讯", UR.PARTICIPATING, ""), ("太极股份", UR.PARTICIPATING, ""), ("中科大脑", UR.SUPPORTING, "")],
    groups=[("运维值守组", "太极股份"), ("迭代开发组", "腾讯"), ("数据质量组", "市大数据局")],
    members=[M("zheng_yaqin", R.HEAD, 60), M("lin_yiming", R.OFFICE_DIRECTOR, 100, full_time=True)],
    staff=[
        # the core of the project team carries on ...
        S("市大数据局", 6, pct=100, full_time=True, group="数据质量组", pool="hc"),
        S("腾讯", 10, R.EXTERNAL, pct=100, full_time=True, group="迭代开发组", pool="hc"),
        S("太极股份", 6, R.EXTERNAL, pct=100, full_time=True, group="运维值守组", pool="hc"),
        S("中科大脑", 4, R.EXTERNAL, pct=60, group="迭代开发组", pool="hc"),
        # ... and 52 more join (brief: "expanded by 50+ staff")
        S("腾讯", 20, R.EXTERNAL, pct=100, full_time=True, group="迭代开发组", offset=20),
        S("太极股份", 16, R.EXTERNAL, pct=100, full_time=True, group="运维值守组", offset=15),
        S("市大数据局", 10, pct=100, full_time=True, group="数据质量组", offset=12),
        S("中科大脑", 6, R.EXTERNAL, pct=80, group="迭代开发组", offset=11),
    ],
    dissolve=("2023-01-31",
              "累计保障健康码平稳运行近三年，完成功能迭代120余次，经受多轮访问高峰。",
              "轮流值守、动态值班；运维知识库已移交市大数据局。"),
)

BRAIN = TF(
    key="brain",
    name="B市H区城市大脑运行专班",
    core_matter="建设并运行H区“城市大脑”平台，以数据共享支撑城市运行监测、社区治理和应急处置",
    goals="每周一固定召开专班例会，各成员单位逐一汇报所负责项目进展；2020年底前接入全区视频感知设备2万路；"
          "智慧社区试点覆盖30个社区。",
    region="110108",
    basis=T.Basis.NOTICE,
    basis_document_no="H政办发〔2019〕23号",
    established_on="2019-06-18",
    dissolution_conditions="城市大脑平台转入常态化运维、各应用场景移交主责部门后撤销",
    task_nature=T.Nature.COMPOSITE,
    purpose=T.Purpose.ROUTINE,
    leading_body="H区城市大脑建设领导小组",
    decided_by="H区城市大脑建设领导小组",
    units=[("H区指挥中心", UR.LEAD, ""), ("H区经信办", UR.LEAD, ""), ("H区公安分局", UR.PARTICIPATING, ""),
           ("H区房管局", UR.PARTICIPATING, ""), ("H区城管委", UR.PARTICIPATING, ""),
           ("中国电力科技集团", UR.PARTICIPATING, ""), ("百度", UR.SUPPORTING, ""), ("B市联通", UR.SUPPORTING, ""),
           # streets join later (brief)
           ("北园街道", UR.PARTICIPATING, "2021-03-15"), ("南湖街道", UR.PARTICIPATING, "2021-06-01"),
           ("西山街道", UR.PARTICIPATING, "2022-04-06")],
    groups=[("平台建设组", "百度"), ("数据治理组", "H区经信办"), ("智慧社区项目组", "H区公安分局"),
            ("城市运行监测组", "H区指挥中心"), ("技术保障组", "中国电力科技集团")],
    members=[
        M("du_hongwei", R.HEAD, 10),
        M("xu_jiaming", R.HEAD, 15),
        M("liang_jing", R.OFFICE_DIRECTOR, 100, full_time=True, group="城市运行监测组"),
        M("tang_ziang", R.EXTERNAL, 60, group="平台建设组"),
    ],
    staff=[
        S("中国电力科技集团", 8, R.EXTERNAL, pct=100, full_time=True, group="技术保障组"),
        S("百度", 3, R.EXTERNAL, pct=50, group="平台建设组"),
        S("B市联通", 2, R.EXTERNAL, pct=40, group="平台建设组"),
        S("H区公安分局", 3, pct=50, group="智慧社区项目组"),
        S("H区经信办", 2, pct=60, group="数据治理组"),
        S("H区指挥中心", 3, R.OFFICE_STAFF, pct=100, full_time=True, group="城市运行监测组"),
    ],
    targets=[("接入全区视频感知设备", "接入设备数", 20000, "路", "2020-12-31"),
             ("智慧社区试点覆盖", "试点社区数", 30, "个", "2021-12-31")],
    demands=[("城市运行一网统管指标体系", "联合调研", True), ("老旧小区智慧门禁与警务数据对接", "智慧社区项目组", True),
             ("街道接诉即办数据回流", "街道座谈", False), ("渣土车违规行驶识别模型", "区城管委", False),
             ("地下管网运行监测接入", "联合调研", False)],
)

WUYE = TF(
    key="wuye",
    name="B市物业管理条例立法专班",
    core_matter="起草《B市物业管理条例（草案）》并配合完成审议",
    goals="闭门集中起草约两周形成草案；围绕15个方面100余条问题逐条研究；赴上海、深圳开展5天专题调研。",
    region="110000",
    basis=T.Basis.NOTICE,
    basis_document_no="B人大常办发〔2019〕41号",
    established_on="2019-09-02",
    planned_end="2020-03-31",
    dissolution_conditions="条例经市人大常委会表决通过后撤销",
    task_nature=T.Nature.SINGLE,
    purpose=T.Purpose.ROUTINE,
    leading_body="市人大常委会、市政府物业管理立法工作领导小组",
    decided_by="市人大常委会主任会议",
    units=[("城建环保办", UR.LEAD, ""), ("法制办", UR.PARTICIPATING, ""), ("人大办公厅", UR.SUPPORTING, ""),
           ("研究室", UR.PARTICIPATING, ""), ("市司法局", UR.PARTICIPATING, ""), ("市住建委", UR.PARTICIPATING, "")],
    groups=[("起草组", "城建环保办"), ("调研组", "研究室")],
    members=[
        M("zhao_wenbo", R.HEAD, 20),
        M("chen_lixin", R.HEAD, 10),
        M("hu_xiaoyan", R.OFFICE_DIRECTOR, 100, full_time=True, group="起草组"),
    ],
    # 16 staff in all: the office director, six liaisons and nine more
    staff=[S("城建环保办", 2, pct=100, full_time=True, group="起草组"),
           S("法制办", 2, pct=100, full_time=True, group="起草组"),
           S("人大办公厅", 1, pct=60), S("研究室", 1, pct=80, group="调研组"),
           S("市司法局", 1, pct=80, group="起草组"), S("市住建委", 2, pct=80, group="调研组")],
    targets=[("闭门起草形成条例草案", "", None, "", "2019-09-20"),
             ("赴上海、深圳专题调研", "调研天数", 5, "天", "2019-10-18")],
    demands=[(f"{aspect}（{n}条）", "联合调研问题清单", True) for aspect, n in (
        ("业主大会和业主委员会的成立与运作", 9), ("物业服务企业的选聘与退出", 8), ("物业服务收费与价格监管", 7),
        ("专项维修资金的归集、使用与监管", 8), ("老旧小区物业管理全覆盖", 6), ("物业管理区域的划分", 5),
        ("前期物业管理与承接查验", 7), ("共有部分经营收益的管理", 6), ("违法建设与私搭乱建的治理", 6),
        ("垃圾分类与环境卫生", 5), ("电梯等设施设备的安全管理", 7), ("党建引领与社区治理", 8),
        ("物业矛盾纠纷的调解处理", 7), ("物业服务质量评价与信用管理", 6), ("街道乡镇与行业主管部门的监管职责", 8))],
    dissolve=("2020-04-30",
              "条例草案经市人大常委会三次审议后表决通过；15个方面105条问题均在条文中作出回应。",
              "人大与政府“双组长”、闭门集中起草、先调研后立法；问题清单逐条销号的做法已在法制办推广。"),
)

FZX = TF(
    key="fzx",
    name="B市城市副中心建设工作专班",
    core_matter="统筹推进城市副中心规划建设管理，协调23个市级部门进驻T区开展工作",
    goals="进驻不旁观、指导不越权、服务要到位、考评听基层。每月召开调度会，12项重点任务挂图作战。",
    region="110112",
    basis=T.Basis.NOTICE,
    basis_document_no="B市委办发〔2017〕8号",
    established_on="2017-02-10",
    planned_end="2027-12-31",
    dissolution_conditions="副中心阶段性建设任务完成、相关工作转入部门常态化管理后撤销",
    task_nature=T.Nature.COMPOSITE,
    purpose=T.Purpose.ROUTINE,
    leading_body="B市城市副中心建设领导小组",
    decided_by="B市城市副中心建设领导小组",
    units=[("市发改委", UR.LEAD, "")] + [(u, UR.PARTICIPATING, "") for u in FZX_DEPARTMENTS if u != "市发改委"]
    + [("T区政府", UR.PARTICIPATING, "")],
    groups=[("城市规划设计", "市规自委"), ("交通管理服务", "市交通委"), ("水环境治理", "市水务局"),
            ("大气污染治理", "市生态环境局"), ("市容环卫管理", "市城管委"), ("园林绿化建设", "市园林绿化局"),
            ("住房与城市更新", "市住建委"), ("教育资源配置", "市教委"), ("医疗卫生服务", "市卫健委"),
            ("社会治安管理", "市公安局"), ("产业与营商环境", "市商务局"), ("政务服务优化", "市政务服务局")],
    members=[
        M("chen_lixin", R.HEAD, 20),
        M("yuan_zhiping", R.RESPONSIBLE_DEPUTY, 50),
        M("wang_liqun", R.OFFICE_DIRECTOR, 100, full_time=True),
    ],
    staff=[S("市发改委", 2, R.OFFICE_STAFF, pct=100, full_time=True)],
    targets=[("12项重点任务年度节点完成率", "完成率", 95, "%", "2026-12-31")],
    demands=[("行政办公区二期配套道路交通组织方案", "月调度会", False), ("北运河水质提升考核办法", "月调度会", False),
             ("三大建筑周边市容环境整治", "考评听基层座谈", True)],
    replacements=[("市交通委", "2023-05-08", "原联络员岗位调整")],
)


def _resident(key: str, unit: str, head: str | int, count: int, extra: list[M] | None = None) -> TF:
    """A resident small task force of one department stationed in T区 (大专班 + 小专班)."""
    members = list(extra or [])
    staff = [S(unit, count, pct=100, full_time=True)]
    if isinstance(head, str):
        members.insert(0, M(head, R.HEAD, 50))
    else:
        staff.insert(0, S(unit, 1, R.HEAD, pct=50, offset=900))
    return TF(
        key=key,
        name=f"{unit}驻T区工作专班",
        core_matter=f"进驻T区，落实{unit}在城市副中心建设中承担的重点任务",
        goals="一个月内完成进驻；每周向大专班办公室报送工作进展。",
        region="110112",
        basis=T.Basis.NOTICE,
        basis_document_no="B市委办发〔2017〕8号",
        established_on="2017-03-08",
        planned_end="2027-12-31",
        dissolution_conditions="随大专班撤销",
        task_nature=T.Nature.SINGLE,
        purpose=T.Purpose.ROUTINE,
        decision_mode=T.DecisionMode.LEAD_DEPARTMENT,
        lead_unit=unit,
        parent="fzx",
        parent_relation=T.ParentRelation.BIG_SMALL,
        decided_by=f"{unit}党组",
        units=[(unit, UR.LEAD, "")],
        members=members,
        staff=staff,
    )


FZX_SMALL = [
    # 市住建委 sent 17: the leader, the liaison, the demo member and 14 more
    _resident("fzx_zjw", "市住建委", "xu_zhenyu", 14, [M("wu_siyuan", R.MEMBER, 100, full_time=True)]),
    _resident("fzx_jtw", "市交通委", 1, 3),
    _resident("fzx_swj", "市水务局", 1, 3),
    _resident("fzx_sthj", "市生态环境局", 1, 3),
    _resident("fzx_cgw", "市城管委", 1, 3),
]

YA_COMMON = dict(region="330113", task_nature=T.Nature.SINGLE, purpose=T.Purpose.ROUTINE,
                 decided_by="临平区亚运会筹办工作领导小组", decision_mode=T.DecisionMode.LEAD_DEPARTMENT,
                 parent="ya_office", parent_relation=T.ParentRelation.OFFICE, planned_end="2023-12-31")

YA_OFFICE = TF(
    key="ya_office",
    name="临平区亚运会筹办工作专班办公室（区亚运办）",
    core_matter="统筹临平区亚运会、亚残运会筹办工作，分解任务并督促各专班落实（一办N专班）",
    goals="每日信息报送：各专班联络员每日17:00前在线报送工作日报，区亚运办汇总形成《亚运筹办工作日报》；"
          "上级工作组会议部署后2至3日内召开区级调度会并下发新的任务清单。",
    region="330113",
    basis=T.Basis.NOTICE,
    basis_document_no="临政办发〔2021〕15号",
    established_on="2021-04-12",
    planned_end="2023-12-31",
    dissolution_conditions="亚运会、亚残运会赛事保障任务完成并通过总结验收后撤销",
    task_nature=T.Nature.COMPOSITE,
    purpose=T.Purpose.ROUTINE,
    leading_body="临平区亚运会筹办工作领导小组",
    decided_by="临平区亚运会筹办工作领导小组",
    is_office=True,
    units=[("临平区政府", UR.LEAD, ""), ("区文广旅体局", UR.LEAD, ""), ("区委宣传部", UR.PARTICIPATING, ""),
           ("区委网信办", UR.PARTICIPATING, ""), ("临平公安分局", UR.PARTICIPATING, ""),
           ("区建设局", UR.PARTICIPATING, ""), ("区综合执法局", UR.PARTICIPATING, ""), ("区卫健局", UR.PARTICIPATING, ""),
           ("临平街道", UR.PARTICIPATING, ""), ("南苑街道", UR.PARTICIPATING, ""), ("东湖街道", UR.PARTICIPATING, ""),
           ("临平经开区", UR.PARTICIPATING, ""), ("临平城建集团", UR.SUPPORTING, "")],
    groups=[("综合协调组", "区文广旅体局"), ("督查考评组", "临平区政府")],
    members=[
        M("jin_guoliang", R.HEAD, 20),
        M("shen_jiayi", R.OFFICE_DIRECTOR, 100, full_time=True, group="综合协调组"),
        M("qian_xiaolan", R.LIAISON, 30, liaison_for="区委宣传部"),
    ],
    staff=[S("区文广旅体局", 3, R.OFFICE_STAFF, pct=100, full_time=True, group="综合协调组")],
    targets=[("赛事期间每日工作日报按时报送率", "报送率", 100, "%", "2023-10-08")],
    demands=[("亚运场馆周边交通保障方案", "上级工作组会议", True), ("城市志愿者招募与培训", "上级工作组会议", True),
             ("赛后场馆运营移交", "总结会", False)],
)

YA_NEWS = TF(
    key="ya_news",
    name="临平区亚运新闻宣传专班",
    core_matter="亚运会筹办期间的新闻发布、媒体服务和主题宣传",
    established_on="2021-05-10",
    basis=T.Basis.NOTICE,
    basis_document_no="临亚运办〔2021〕3号",
    lead_unit="区委宣传部",
    units=[("区委宣传部", UR.LEAD, ""), ("区融媒体中心", UR.PARTICIPATING, ""), ("区文广旅体局", UR.SUPPORTING, "")],
    members=[M("fang_mingyuan", R.HEAD, 30), M("qian_xiaolan", R.LIAISON, 40, liaison_for="区委宣传部")],
    staff=[S("区融媒体中心", 4, pct=60)],
    demands=[("亚运倒计时100天主题宣传", "区亚运办交办", True),
             ("亚运倒计时100天网络话题策划", "区亚运办交办（与网络宣传专班职责交叉，曾相互推诿）", False)],
    **YA_COMMON,
)

YA_ONLINE = TF(
    key="ya_online",
    name="临平区亚运网络宣传专班",
    core_matter="亚运会筹办期间的网络宣传、新媒体传播和网上舆论引导",
    established_on="2021-05-10",
    basis=T.Basis.NOTICE,
    basis_document_no="临亚运办〔2021〕4号",
    lead_unit="区委网信办",
    units=[("区委网信办", UR.LEAD, ""), ("区委宣传部", UR.PARTICIPATING, ""), ("区融媒体中心", UR.PARTICIPATING, "")],
    members=[M("ye_chen", R.HEAD, 30), M("qian_xiaolan", R.MEMBER, 30)],
    staff=[S("区委网信办", 3, pct=60), S("区融媒体中心", 2, pct=30, pool="ya_news", offset=2)],
    demands=[("亚运短视频征集活动", "区亚运办交办", True)],
    **YA_COMMON,
)

YA_ENV = TF(
    key="ya_env",
    name="临平区亚运城市环境提升专班",
    core_matter="亚运会前完成主要道路、场馆周边和城乡接合部的环境整治",
    established_on="2022-02-14",
    basis=T.Basis.ORAL,
    basis_note="区主要领导在亚运筹办推进会上口头部署，未另行发文",
    lead_unit="区综合执法局",
    units=[("区综合执法局", UR.LEAD, ""), ("区建设局", UR.PARTICIPATING, ""), ("临平街道", UR.PARTICIPATING, ""),
           ("南苑街道", UR.PARTICIPATING, ""), ("东湖街道", UR.PARTICIPATING, ""), ("临平城建集团", UR.SUPPORTING, "")],
    members=[M("pan_yonggang", R.HEAD, 40)],
    staff=[S("区综合执法局", 3, pct=50), S("区建设局", 2, pct=40)],
    demands=[("主干道沿线立面整治", "现场踏勘", True), ("城乡接合部违建拆除", "街道上报", False)],
    **YA_COMMON,
)

YA_VENUE = TF(
    key="ya_venue",
    name="临平区亚运场馆运行保障专班",
    core_matter="亚运比赛场馆的运行保障：安保、医疗、能源和后勤",
    established_on="2022-03-01",
    basis=T.Basis.NOTICE,
    basis_document_no="临亚运办〔2022〕6号",
    lead_unit="区文广旅体局",
    units=[("区文广旅体局", UR.LEAD, ""), ("临平公安分局", UR.PARTICIPATING, ""), ("区卫健局", UR.PARTICIPATING, ""),
           ("临平城建集团", UR.PARTICIPATING, "")],
    members=[M("jiang_haifeng", R.HEAD, 50)],
    staff=[S("临平公安分局", 3, pct=80), S("区卫健局", 2, pct=60), S("临平城建集团", 2, R.EXTERNAL, pct=80)],
    demands=[("赛时场馆安保方案", "场馆运行团队", True), ("医疗保障点设置", "场馆运行团队", True)],
    dissolve=("2023-11-15", "赛事期间场馆运行平稳，未发生安全责任事故。",
              "场馆运行团队“一馆一方案”；赛后设施清单已移交区文广旅体局。"),
    **{k: v for k, v in YA_COMMON.items() if k != "planned_end"},
    planned_end="2023-10-31",
)

YA_OPINION = TF(
    key="ya_opinion",
    name="临平区亚运舆情应急协调专班",
    core_matter="赛事期间突发舆情的信息通报和应急协调",
    established_on="2023-08-20",
    basis=T.Basis.MINUTES,
    basis_note="区亚运办第12次专题会议纪要",
    lead_unit="区委网信办",
    entity_operation=False,  # no working group, no office: liaisons relay notices (协调表态型)
    units=[("区委网信办", UR.LEAD, ""), ("区委宣传部", UR.PARTICIPATING, ""), ("临平公安分局", UR.PARTICIPATING, ""),
           ("区融媒体中心", UR.PARTICIPATING, "")],
    members=[M("ye_chen", R.HEAD, 10), M("qian_xiaolan", R.LIAISON, 20, liaison_for="区委宣传部")],
    **{k: v for k, v in YA_COMMON.items() if k not in ("purpose", "planned_end")},
    purpose=T.Purpose.EMERGENCY,
    planned_end="2023-10-31",
)

# Parents before children.
TASKFORCES: list[TF] = [HC, HC_OPS, BRAIN, WUYE, FZX, *FZX_SMALL, YA_OFFICE, YA_NEWS, YA_ONLINE, YA_ENV, YA_VENUE,
                        YA_OPINION]

# The five cases by key, for tests and the summary: (Li type, Liu type) expected from the typology.
CASES = {
    "hc": ("项目合作型", "强力处置型"),
    "brain": ("平台共享型", "任务攻坚型"),
    "wuye": ("人员抽调型", "任务攻坚型"),
    "fzx": ("部门统合型", "任务攻坚型"),
    "ya_office": ("平台共享型", "任务攻坚型"),
}
