"""The task trees of the demo task forces (挂图作战), as declarations the loader plays through the task
services (``zhuanban.tasks.services``): each task is created, then what happened to it is replayed in
order — dispatched, signed, returned, progress reported, completed, confirmed.

Dates of running task forces are days from the day the demo is loaded, so that whenever it is loaded
some tasks are overdue (红灯), some due within the warning margin and behind plan (黄灯), most on track;
dissolved task forces carry their historical dates and every task is done (an open task would block the
dissolution).  People and units are the keys of ``data.py`` and of the loader's generated staff
(``"<task force>:<unit>:liaison"``, ``"<task force>:<unit>:<n>"``).  The actor of a step is a person
key: the loader acts as that person's account where they have one, else as the system administrator.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhuanban.tasks.models import Task

Src = Task.Source
HIGH = Task.Priority.HIGH

# A date: an int is days from the loading day, a str an ISO date.
Day = int | str
# A step: ("dispatch", actor, kind, key[, note]) with kind "unit" / "person" / "tf"; ("sign", actor);
# ("return", actor, reason); ("progress", actor, percent, note); ("complete", actor, note);
# ("confirm", actor); ("verify", actor).
Step = tuple


@dataclass(frozen=True)
class Tk:
    title: str
    lead: str = ""
    coop: tuple[str, ...] = ()
    person: str = ""
    owner: str = ""  # decision owner, where not the lead unit
    start: Day | None = None
    due: Day | None = None
    group: str = ""
    source: str = Src.MEETING
    source_note: str = ""
    plan: str = ""
    priority: int = Task.Priority.NORMAL
    verify: bool = False
    sensitive: bool = False
    milestones: tuple[tuple[str, Day], ...] = ()
    after: tuple[str, ...] = ()  # titles of earlier tasks of the same task force it depends on
    steps: tuple[Step, ...] = ()
    children: tuple[Tk, ...] = ()

    def count(self) -> int:
        return 1 + sum(c.count() for c in self.children)


def done(actor: str = "", note: str = "已按期完成", verify: bool = False) -> tuple[Step, ...]:
    """Reported complete by ``actor``, then confirmed (and verified) — ``""`` is the administrator."""
    steps: tuple[Step, ...] = (("progress", actor, 100, note), ("complete", actor, note), ("confirm", actor))
    return (*steps, ("verify", actor)) if verify else steps


def progress(actor: str, percent: int, note: str) -> Step:
    return ("progress", actor, percent, note)


# ---- B市健康码项目专班 (dissolved 2020-03-04): the launch, all done -------------------------------------

HC = [
    Tk("健康码系统研发上线（总任务）", "市大数据局", ("市经信局", "市卫健委", "市发改委"), "lin_yiming", owner="zheng_yaqin",
       start="2020-01-27", due="2020-03-01", source=Src.INSTRUCTION, source_note="疫情防控领导小组第3次会议部署",
       priority=HIGH, plan="政企技术团队集中办公、扁平化决策；需求清单每日滚动更新；3月1日前上线。",
       milestones=(("数据归集完成", "2020-02-02"), ("系统正式上线", "2020-03-01")),
       children=(
           Tk("数据归集：6天内完成1000项以上数据项", "市大数据局", ("市经信局", "市卫健委"), "hc:市大数据局:0",
              start="2020-01-27", due="2020-02-02", group="需求与数据归集组", source=Src.DEMAND, priority=HIGH,
              milestones=(("首批500项入库", "2020-01-30"),), steps=done(note="共归集数据项1036项")),
           Tk("重点人员名单比对接口", "腾讯", ("市卫健委",), "hc:腾讯:0", start="2020-01-29", due="2020-02-10",
              group="研发组", source=Src.DEMAND, after=("数据归集：6天内完成1000项以上数据项",), steps=done()),
           Tk("社区出入扫码核验功能", "腾讯", ("市经信局",), "hc:腾讯:1", start="2020-02-03", due="2020-02-18",
              group="研发组", source=Src.DEMAND, steps=done()),
           Tk("健康状态判定算法模型", "中科大脑", ("市卫健委",), "song_bowen", start="2020-02-01", due="2020-02-15",
              group="算法模型组", steps=done(note="模型经卫健委专家组评审通过")),
           Tk("三轮高并发压力测试与安全评估", "太极股份", ("市大数据局",), "hc:太极股份:0", start="2020-02-16",
              due="2020-02-27", group="测试与安全组", verify=True, priority=HIGH,
              steps=done(note="三轮压测峰值每秒12万次请求，无高危漏洞", verify=True)),
           Tk("上线发布与运维移交", "市大数据局", ("腾讯", "太极股份"), "lin_yiming", start="2020-02-27",
              due="2020-03-01", after=("三轮高并发压力测试与安全评估",), steps=done(note="3月1日零时正式上线")),
       ),
       steps=done(note="健康码按期上线")),
]

HC_OPS = [
    Tk("7×24小时运维值守排班", "太极股份", ("市大数据局",), "hc:太极股份:1", start="2020-03-05", due="2022-12-31",
       group="运维值守组", steps=done(note="轮流值守近三年，无重大故障")),
    Tk("健康码功能迭代（累计120余次）", "腾讯", ("市大数据局", "中科大脑"), "hc:腾讯:2", start="2020-03-05",
       due="2022-12-31", group="迭代开发组", source=Src.DEMAND, steps=done()),
    Tk("运维知识库移交市大数据局", "市大数据局", ("太极股份", "腾讯"), "hc:市大数据局:1", start="2022-12-01",
       due="2023-01-20", group="数据质量组", steps=done(note="知识库与应急预案已移交")),
]

# ---- B市物业管理条例立法专班 (dissolved 2020-04-30) -------------------------------------------------------

WUYE = [
    Tk("起草《B市物业管理条例（草案）》", "城建环保办", ("法制办", "市司法局", "市住建委"), "hu_xiaoyan",
       owner="zhao_wenbo", start="2019-09-02", due="2020-03-27", source=Src.UPPER,
       source_note="市人大常委会主任会议交办", priority=HIGH,
       plan="闭门集中起草约两周形成草案；围绕15个方面100余条问题逐条研究；赴上海、深圳专题调研。",
       children=(
           Tk("梳理15个方面100余条问题清单", "研究室", ("市住建委",), "wuye:研究室:liaison", start="2019-09-02",
              due="2019-09-10", group="调研组", source=Src.DEMAND, steps=done(note="形成问题清单105条")),
           Tk("闭门集中起草形成草案初稿", "城建环保办", ("法制办", "市司法局"), "hu_xiaoyan", start="2019-09-09",
              due="2019-09-20", group="起草组", after=("梳理15个方面100余条问题清单",), steps=done()),
           Tk("赴上海、深圳专题调研（5天）", "研究室", ("市住建委",), "wuye:市住建委:liaison", start="2019-10-14",
              due="2019-10-18", group="调研组", milestones=(("形成调研报告", "2019-10-25"),),
              steps=done(note="调研报告已印发起草组")),
           Tk("征求市司法局、市住建委和各区意见", "法制办", ("市司法局", "市住建委"), "wuye:法制办:liaison",
              start="2019-10-21", due="2019-11-15", group="起草组", steps=done(note="收到意见建议236条，逐条回应")),
           Tk("提请市人大常委会审议（三审）", "法制办", ("城建环保办",), "zhao_wenbo", start="2019-11-20",
              due="2020-03-27", after=("征求市司法局、市住建委和各区意见",), steps=done(note="三审后表决通过")),
       ),
       steps=done(note="条例经市人大常委会表决通过")),
]

# ---- B市H区城市大脑运行专班 (running): the week's tasks from the Monday meeting --------------------------

BRAIN = [
    Tk("城市运行“一网统管”指标体系升级（2026版）", "H区指挥中心", ("H区经信办", "百度"), "liang_jing", start=-60, due=35,
       group="城市运行监测组", source=Src.DEMAND, priority=HIGH,
       plan="12类城市运行体征指标统一口径，接入看板，周例会逐项调度。",
       children=(
           Tk("指标口径梳理：12类城市运行体征", "H区指挥中心", ("H区经信办",), "brain:H区指挥中心:0", start=-60, due=-5,
              group="城市运行监测组", steps=(progress("liang_jing", 80, "已完成10类，交通、环境两类待经信办确认口径"),)),
           Tk("指标看板上线试运行", "百度", ("H区指挥中心",), "tang_ziang", start=-10, due=2, group="平台建设组",
              after=("指标口径梳理：12类城市运行体征",),
              steps=(progress("tang_ziang", 20, "看板框架已部署测试环境，等待指标口径定稿"),)),
       ),
       steps=(progress("liang_jing", 55, "周例会调度：指标口径滞后，看板试运行顺延风险"),)),
    Tk("智慧社区试点扩面（新增3个街道）", "H区公安分局", ("H区房管局", "北园街道", "南湖街道", "西山街道"),
       "brain:H区公安分局:0", start=-45, due=60, group="智慧社区项目组", source=Src.MEETING,
       source_note="2026年第44次周例会", milestones=(("三个街道试点方案审定", 10), ("试点验收", 60)),
       children=(
           Tk("北园街道老旧小区智慧门禁改造", "北园街道", ("H区公安分局",), "brain:北园街道:liaison", start=-40, due=-3,
              group="智慧社区项目组", steps=(progress("liang_jing", 70, "已改造14个小区，剩余6个小区业主意见未统一"),)),
           Tk("南湖街道警务数据对接", "南湖街道", ("H区公安分局",), "brain:南湖街道:liaison", start=-20, due=20,
              group="智慧社区项目组", steps=(progress("liang_jing", 40, "接口联调中"),)),
           Tk("西山街道试点方案编制", "西山街道", ("H区房管局",), "", start=0, due=10, group="智慧社区项目组",
              steps=(("dispatch", "liang_jing", "unit", "西山街道", "请西山街道牵头编制，下周一例会汇报"),)),
       ),
       steps=(progress("liang_jing", 35, "北园街道进度滞后，已约谈街道分管负责人"),)),
    Tk("渣土车违规行驶识别模型", "H区城管委", ("百度", "H区公安分局"), "tang_ziang", start=-30, due=3,
       group="平台建设组", source=Src.DEMAND, steps=(progress("tang_ziang", 30, "样本标注完成，模型训练准确率82%"),)),
    Tk("地下管网运行监测接入", "H区城管委", ("中国电力科技集团",), "brain:中国电力科技集团:0", start=-5, due=75,
       group="技术保障组", source=Src.DEMAND, steps=(progress("liang_jing", 5, "完成现场踏勘"),)),
    Tk("街道接诉即办数据回流", "H区经信办", ("北园街道", "南湖街道", "西山街道"), "brain:H区经信办:0", start=-90,
       due=-20, group="数据治理组", source=Src.DEMAND, priority=HIGH,
       steps=(progress("liang_jing", 60, "北园、南湖已回流，西山街道系统改造未完成"),)),
]

# ---- B市城市副中心建设工作专班 (running): 12 key tasks on the wall chart --------------------------------

H = "chen_lixin"  # the head dispatches and, from the monthly dispatch meeting, reports progress
FZX = [
    Tk("副中心控制性详细规划（街区层面）深化", "市规自委", ("市发改委", "T区政府"), "fzx:市规自委:liaison", start=-200,
       due=35, group="城市规划设计", source=Src.UPPER, source_note="副中心建设领导小组年度任务",
       steps=(progress(H, 70, "街区控规成果已完成专家评审"),),
       children=(Tk("组团级城市设计导则征求意见", "市规自委", ("T区政府",), "fzx:市规自委:liaison", start=-30, due=5,
                    group="城市规划设计", steps=(progress(H, 50, "已征求6个委办局意见"),)),)),
    Tk("行政办公区二期配套道路交通组织方案", "市交通委", ("市公安局", "T区政府"), "fzx:市交通委:liaison2", start=-60,
       due=-7, group="交通管理服务", source=Src.DEMAND, priority=HIGH,
       steps=(progress(H, 65, "方案初稿已形成，公安交管意见未反馈"),),
       children=(Tk("三大建筑周边共享单车停放秩序治理", "市交通委", ("市城管委",), "", start=-14, due=10,
                    group="交通管理服务", source=Src.MEETING, source_note="11月月调度会",
                    steps=(("dispatch", H, "unit", "市交通委", "请市交通委牵头、市城管委配合，月底前见效"),)),)),
    Tk("北运河水质提升考核办法", "市水务局", ("市生态环境局", "T区政府"), "fzx:市水务局:liaison", start=-45, due=1,
       group="水环境治理", source=Src.DEMAND, steps=(progress(H, 40, "考核指标与生态环境局口径尚未统一"),)),
    Tk("秋冬季大气污染综合治理攻坚", "市生态环境局", ("市城管委", "市交通委"), "fzx:市生态环境局:liaison", start=-55,
       due=95, group="大气污染治理", steps=(progress(H, 30, "重点工地在线监测已覆盖80%"),),
       children=(Tk("工地扬尘在线监测全覆盖", "市生态环境局", ("市住建委",), "fzx:市生态环境局:liaison", start=-30,
                    due=-2, group="大气污染治理", steps=(progress(H, 85, "剩余9个工地设备待安装"),)),)),
    Tk("三大建筑周边市容环境整治", "市城管委", ("T区政府",), "fzx:市城管委:liaison", owner=H, start=-120, due=-25,
       group="市容环卫管理", source=Src.DEMAND, steps=done(H, "整治点位全部销号，考评听基层满意率96%")),
    Tk("城市绿心森林公园二期配套提升", "市园林绿化局", ("T区政府",), "fzx:市园林绿化局:liaison", start=-100, due=140,
       group="园林绿化建设", steps=(progress(H, 45, "园路与驿站主体完工"),)),
    Tk("老旧小区综合整治（T区2026年度）", "市住建委", ("T区政府", "市发改委"), "xu_zhenyu", start=-60, due=40,
       group="住房与城市更新", source=Src.UPPER, priority=HIGH,
       steps=(("dispatch", H, "unit", "市住建委", "请市住建委牵头，驻区专班具体落实"), ("sign", "zhou_zhiqiang"),
              progress(H, 50, "已开工32个小区，完工18个")),
       children=(Tk("北苑片区12个小区加装电梯", "市住建委", ("T区政府",), "wu_siyuan", start=-20, due=25,
                    group="住房与城市更新", steps=(("dispatch", H, "person", "wu_siyuan", "请驻区专班吴思远负责"),)),
                 Tk("老旧小区整治资金拨付进度核对", "市住建委", ("市财政局",), "", start=-2, due=12,
                    group="住房与城市更新", source=Src.MEETING, source_note="11月月调度会",
                    steps=(("dispatch", H, "unit", "市住建委", "请市住建委会同市财政局核对"),)))),
    Tk("副中心学校建设项目开学前验收", "市教委", ("市住建委", "T区政府"), "fzx:市教委:liaison", start=-120, due=60,
       group="教育资源配置", steps=(progress(H, 50, "3所学校主体结构封顶"),)),
    Tk("区域医疗中心二期开诊准备", "市卫健委", ("T区政府",), "fzx:市卫健委:liaison", start=-90, due=3,
       group="医疗卫生服务", priority=HIGH, steps=(progress(H, 60, "设备安装调试中，医护人员招聘完成60%"),)),
    Tk("行政办公区周边重点区域安保布控方案", "市公安局", ("T区政府",), "fzx:市公安局:liaison", start=-30, due=120,
       group="社会治安管理", sensitive=True, steps=(progress(H, 15, "方案框架已报领导小组"),)),
    Tk("副中心重点企业落地服务机制", "市商务局", ("市市场监管局", "T区政府"), "fzx:市商务局:liaison", start=-75, due=-10,
       group="产业与营商环境", steps=(progress(H, 55, "已对接企业41家，服务专员制度未出台"),)),
    Tk("副中心政务服务“一网通办”事项清单", "市政务服务局", ("市大数据局", "T区政府"), "fzx:市政务服务局:liaison",
       start=-40, due=50, group="政务服务优化", steps=(progress(H, 35, "事项清单初稿412项"),),
       children=(Tk("高频事项“秒批”改造（首批20项）", "市政务服务局", ("市大数据局",), "fzx:市大数据局:liaison",
                    start=-40, due=-1, group="政务服务优化", steps=(progress(H, 90, "已上线18项"),)),)),
]

# The resident small task forces (大专班 + 小专班): the head of the big one oversees them.
FZX_SMALL = {
    "fzx_zjw": [
        Tk("老旧小区综合整治现场协调（驻T区）", "市住建委", ("T区政府",), "wu_siyuan", start=-20, due=2,
           steps=(progress("wu_siyuan", 30, "已走访北苑片区8个小区，收集居民意见126条"),)),
        Tk("驻区工作周报报送（本周）", "市住建委", (), "fzx_zjw:市住建委:liaison", start=-6, due=1,
           source=Src.AD_HOC),
    ],
    "fzx_jtw": [Tk("行政办公区二期周边路网微循环改造", "市交通委", ("T区政府",), "fzx_jtw:市交通委:0", start=-50, due=40,
                   steps=(progress(H, 45, "5条支路完成施工"),))],
    "fzx_swj": [Tk("北运河断面水质日监测", "市水务局", (), "fzx_swj:市水务局:0", start=-30, due=30,
                   steps=(progress(H, 50, "日监测数据已接入专班周报"),))],
    "fzx_sthj": [Tk("工地扬尘夜间巡查", "市生态环境局", ("市住建委",), "fzx_sthj:市生态环境局:0", start=-25, due=-1,
                    steps=(progress(H, 70, "夜查工地37个，立案3起"),))],
    "fzx_cgw": [Tk("三大建筑周边环卫作业精细化", "市城管委", ("T区政府",), "fzx_cgw:市城管委:0", start=-40, due=20,
                   steps=(progress(H, 60, "机扫水洗频次提至每日两次"),))],
}

# ---- 临平区亚运 (一办N专班): the office, its task forces, and a task pushed back and forth -----------------

D = "shen_jiayi"  # the office director (区亚运办)
YA_OFFICE = [
    Tk("亚运场馆赛后利用成效宣传", "区委宣传部", ("区委网信办", "区融媒体中心"), "", start=-20, due=10,
       source=Src.UPPER, source_note="市亚运遗产工作专班交办",
       plan="围绕场馆赛后开放、全民健身和赛事引进，开展新闻发布与网络传播。",
       # The brief's case: news publicity and online publicity push the task to each other; at the second
       # bounce it is a dispute for the office to rule.
       steps=(("dispatch", D, "unit", "区委宣传部", "请区委宣传部牵头"),
              ("return", "qian_xiaolan", "以网络传播为主，属网络宣传专班职责，建议由区委网信办牵头"),
              ("dispatch", D, "tf", "ya_online", "请网络宣传专班牵头"),
              ("return", "ye_chen", "场馆利用成效宣传以新闻发布为主，应由新闻宣传专班牵头，网信办配合"))),
    Tk("亚运会筹办工作档案整理移交", "区文广旅体局", ("区委宣传部", "临平区政府"), "shen_jiayi", start=-60, due=30,
       steps=(progress(D, 40, "已收到6个专班的档案清单"),),
       children=(Tk("新闻宣传专班档案清单报送", "区委宣传部", (), "", start=-30, due=-5,
                    steps=(("dispatch", D, "unit", "区委宣传部", "请于本周内报送档案清单"),
                           ("return", "qian_xiaolan", "新闻宣传专班档案已随宣传部年度归档报送，不再重复报送")),),)),
    Tk("赛后场馆运营移交", "区文广旅体局", ("临平城建集团",), "ya_office:区文广旅体局:liaison", start=-90, due=-15,
       source=Src.DEMAND, priority=HIGH, steps=(progress(D, 75, "4个场馆已移交，游泳馆运营主体未定"),)),
    Tk("每日信息报送质量通报（11月）", "区文广旅体局", (), "ya_office:区文广旅体局:liaison", start=-25, due=2,
       steps=(progress(D, 50, "汇总各专班日报，迟报2次"),)),
    Tk("亚运各专班撤销评估与工作总结", "临平区政府", ("区文广旅体局",), "shen_jiayi", start=-10, due=20,
       source=Src.INSTRUCTION, source_note="区主要领导批示：超期专班逐一评估，该撤则撤",
       children=(Tk("新闻宣传、网络宣传专班撤销评估材料", "区委宣传部", ("区委网信办",), "qian_xiaolan", start=-3,
                    due=12, steps=(("dispatch", D, "unit", "区委宣传部", "请宣传部牵头准备两个宣传专班的评估材料"),)),)),
]

YA = {
    "ya_news": [Tk("亚运遗产主题新闻发布会筹备", "区委宣传部", ("区融媒体中心",), "qian_xiaolan", start=-15, due=6,
                   steps=(progress("qian_xiaolan", 30, "发布会方案已报部领导，媒体邀请名单待定"),))],
    "ya_online": [Tk("亚运城市形象短视频二次传播", "区委网信办", ("区融媒体中心",), "ye_chen", start=-30, due=15,
                     steps=(progress("ye_chen", 50, "累计播放量860万"),))],
    "ya_env": [Tk("城乡接合部违建拆除（亚运遗留点位）", "区综合执法局", ("临平街道", "南苑街道", "东湖街道"),
                  "ya_env:区综合执法局:liaison", start=-120, due=-30, source=Src.DEMAND,
                  steps=(progress(D, 60, "遗留点位27处，已拆除16处"),))],
    "ya_opinion": [Tk("涉亚运舆情周报转发", "区委网信办", (), "qian_xiaolan", start=-7, due=7, source=Src.AD_HOC)],
    "ya_venue": [
        Tk("赛时场馆安保方案", "临平公安分局", ("区文广旅体局",), "ya_venue:临平公安分局:liaison", start="2022-03-01",
           due="2023-08-31", steps=done()),
        Tk("医疗保障点设置", "区卫健局", ("区文广旅体局",), "ya_venue:区卫健局:liaison", start="2022-06-01",
           due="2023-09-10", steps=done()),
        Tk("赛后设施清单移交区文广旅体局", "区文广旅体局", ("临平城建集团",), "jiang_haifeng", start="2023-10-09",
           due="2023-11-10", steps=done(note="设施清单已移交")),
    ],
}

# Who puts each task force's tasks on the wall chart (an office or leader above it where its own have no
# account); elsewhere its office director or head with an account, else the administrator.
CREATORS = {"brain": "liang_jing", "fzx": H, **dict.fromkeys(FZX_SMALL, H), "ya_office": D, **dict.fromkeys(YA, D)}

TASKS: dict[str, list[Tk]] = {
    "hc": HC, "hc_ops": HC_OPS, "wuye": WUYE, "brain": BRAIN, "fzx": FZX, **FZX_SMALL, "ya_office": YA_OFFICE, **YA,
}


def count(key: str) -> int:
    return sum(t.count() for t in TASKS.get(key, []))
