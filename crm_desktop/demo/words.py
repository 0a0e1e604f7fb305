"""The words demo records are made of: names, places, trades and phrases, Chinese and English.

Chinese words carry their pinyin so email addresses and websites read like real ones. What a
rep writes about a customer (deal titles, tasks, follow-ups, notes) is in the customer's
language: a Chinese-named customer's records are all Chinese, an English-named one's English
(CHINESE and ENGLISH below). The company's own classifications, a customer's source and a deal's
won or lost reason, come from one list whatever the customer: the dashboard counts reasons by
their text, and a rep picks them from what the team always writes.
"""

from __future__ import annotations

from dataclasses import dataclass

# (hanzi, pinyin) — the most common surnames, so the name mix looks like a real customer list.
SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("林", "lin"), ("罗", "luo"), ("高", "gao"),
    ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
    ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
)  # fmt: skip

GIVEN_NAMES = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"),
    ("丽", "li"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"),
    ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"), ("涛", "tao"),
    ("明", "ming"), ("超", "chao"), ("秀英", "xiuying"), ("霞", "xia"), ("平", "ping"),
    ("刚", "gang"), ("桂英", "guiying"), ("建华", "jianhua"), ("志强", "zhiqiang"),
    ("海燕", "haiyan"), ("晓东", "xiaodong"), ("文博", "wenbo"), ("思远", "siyuan"),
    ("雨涵", "yuhan"), ("子轩", "zixuan"), ("欣怡", "xinyi"), ("浩然", "haoran"),
)  # fmt: skip

FIRST_NAMES = (
    "Emily", "James", "Olivia", "William", "Sophia", "Daniel", "Grace", "Thomas",
    "Charlotte", "Henry", "Amelia", "Jack", "Hannah", "Lucas", "Chloe", "Oliver",
    "Isabella", "Samuel", "Mia", "Benjamin", "Ava", "Michael", "Ella", "David",
)  # fmt: skip

LAST_NAMES = (
    "Carter", "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans",
    "Thomas", "Roberts", "Walker", "Wright", "Thompson", "White", "Hughes", "Green",
    "Hall", "Wood", "Harris", "Clarke", "Lewis", "Baker", "Turner", "Morgan",
)  # fmt: skip

# Trade names: two characters, like the 华强 of 深圳市华强电子有限公司.
BRANDS = (
    ("华强", "huaqiang"), ("远航", "yuanhang"), ("金桥", "jinqiao"), ("恒通", "hengtong"),
    ("瑞丰", "ruifeng"), ("新星", "xinxing"), ("宏达", "hongda"), ("鑫源", "xinyuan"),
    ("博雅", "boya"), ("天成", "tiancheng"), ("汇德", "huide"), ("永盛", "yongsheng"),
    ("长城", "changcheng"), ("东方", "dongfang"), ("嘉禾", "jiahe"), ("中联", "zhonglian"),
    ("安泰", "antai"), ("信诚", "xincheng"), ("明珠", "mingzhu"), ("聚力", "juli"),
    ("百川", "baichuan"), ("海纳", "haina"), ("正泰", "zhengtai"), ("富华", "fuhua"),
    ("万通", "wantong"), ("盛世", "shengshi"), ("和信", "hexin"), ("德润", "derun"),
    ("启明", "qiming"), ("卓越", "zhuoyue"), ("凯旋", "kaixuan"), ("同创", "tongchuang"),
)  # fmt: skip

# (trade word in a company name, industry as the CRM records it, English trade word)
TRADES = (
    ("电子", "电子制造", "Electronics"), ("科技", "软件与信息技术", "Technology"),
    ("贸易", "批发零售", "Trading"), ("物流", "物流运输", "Logistics"),
    ("机械", "机械设备", "Machinery"), ("建材", "建筑建材", "Building Supplies"),
    ("食品", "食品饮料", "Foods"), ("医疗器械", "医疗健康", "Medical"),
    ("汽车服务", "汽车后市场", "Motors"), ("保险代理", "保险", "Insurance Brokers"),
    ("餐饮管理", "餐饮", "Catering"), ("家居", "家居建材", "Home Furnishings"),
    ("印刷", "包装印刷", "Printing"), ("环保", "节能环保", "Environmental"),
    ("教育咨询", "教育培训", "Education"), ("服装", "纺织服装", "Apparel"),
)  # fmt: skip

COMPANY_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")

ENGLISH_BRANDS = (
    "Northwind", "Pacific", "Harbour", "Silverline", "Bluewater", "Evergreen", "Summit",
    "Redwood", "Lighthouse", "Crescent", "Golden Gate", "Oakridge", "Riverside", "Atlas",
    "Meridian", "Horizon", "Keystone", "Sterling", "Orchid", "Jade Bay",
)  # fmt: skip

ENGLISH_FORMS = ("Ltd", "Co., Ltd", "Limited", "Inc.", "Group")

# (province, city, city pinyin, landline area code, districts, plate prefix)
CITIES = (
    ("广东省", "深圳市", "shenzhen", "755", ("福田区", "南山区", "罗湖区", "宝安区"), "粤B"),
    ("广东省", "广州市", "guangzhou", "20", ("天河区", "越秀区", "海珠区", "番禺区"), "粤A"),
    ("", "北京市", "beijing", "10", ("朝阳区", "海淀区", "东城区", "丰台区"), "京A"),
    ("", "上海市", "shanghai", "21", ("浦东新区", "徐汇区", "静安区", "闵行区"), "沪A"),
    ("浙江省", "杭州市", "hangzhou", "571", ("西湖区", "滨江区", "拱墅区", "余杭区"), "浙A"),
    ("江苏省", "苏州市", "suzhou", "512", ("姑苏区", "吴中区", "工业园区", "相城区"), "苏E"),
    ("四川省", "成都市", "chengdu", "28", ("锦江区", "武侯区", "高新区", "青羊区"), "川A"),
    ("湖北省", "武汉市", "wuhan", "27", ("江汉区", "武昌区", "洪山区", "汉阳区"), "鄂A"),
    ("", "天津市", "tianjin", "22", ("和平区", "河西区", "南开区", "滨海新区"), "津A"),
    ("山东省", "青岛市", "qingdao", "532", ("市南区", "市北区", "崂山区", "黄岛区"), "鲁B"),
)  # fmt: skip

# GB/T 2260 codes of the cities above, used as the first six digits of ID-card numbers.
CITY_ID_CODES = (
    "440304", "440106", "110105", "310115", "330106", "320508", "510104", "420103",
    "120103", "370202",
)  # fmt: skip

ROADS = (
    "深南大道", "人民路", "解放路", "中山路", "建设路", "滨海大道", "科技园路", "长江路",
    "和平路", "新华路", "南京路", "文化路", "学府路", "工业大道", "环城东路",
)  # fmt: skip

ENGLISH_ADDRESSES = (
    "{n} Century Avenue, Pudong, Shanghai",
    "{n} Queen's Road Central, Hong Kong",
    "{n} Harbour Road, Wan Chai, Hong Kong",
    "{n} Shennan Boulevard, Futian, Shenzhen",
    "{n} Jianguo Road, Chaoyang, Beijing",
    "{n} Tianhe Road, Guangzhou",
)

SOURCES = (
    "展会",
    "老客户介绍",
    "官网咨询",
    "电话陌拜",
    "网络推广",
    "合作伙伴",
    "微信公众号",
    "招投标",
)

# (code, name, unit, list price in yuan)
PRODUCTS = (
    ("CRM-STD", "客户管理系统 标准版", "套", 9800),
    ("CRM-PRO", "客户管理系统 专业版", "套", 19800),
    ("CRM-ENT", "客户管理系统 企业版", "套", 49800),
    ("SEAT-Y", "用户许可（年）", "个", 1200),
    ("IMPL-D", "实施服务", "人天", 2500),
    ("TRAIN-D", "现场培训", "天", 3000),
    ("SUP-STD", "标准维护（年）", "年", 6000),
    ("SUP-PRM", "金牌维护（年）", "年", 15000),
    ("HW-PDA", "手持数据终端", "台", 2680),
    ("HW-PRN", "便携票据打印机", "台", 1380),
    ("HW-SCN", "扫码枪", "把", 360),
    ("HW-POS", "收银一体机", "台", 4200),
    ("CLOUD-S", "云服务器（小型，年）", "台", 3600),
    ("CLOUD-M", "云服务器（中型，年）", "台", 7200),
    ("SMS-10K", "短信包 1 万条", "包", 450),
    ("API-ADD", "接口对接服务", "项", 8000),
    ("DATA-MIG", "数据迁移服务", "项", 5000),
    ("RPT-CUS", "定制报表开发", "张", 1500),
    ("MOB-APP", "移动端 App 授权", "个", 800),
    ("CONS-H", "业务咨询", "小时", 600),
)

# The team's reasons, in the team's language (see the module's docstring).
LOST_REASONS = (
    "价格高于竞争对手",
    "预算取消",
    "选择了其他供应商",
    "项目延期",
    "需求变化，暂不采购",
)
WON_REASONS = ("方案契合需求", "老客户续约", "价格有优势", "服务响应快", "关系维护到位")


@dataclass(frozen=True)
class Phrases:
    """What a rep writes about a customer, in one language."""

    opportunity_titles: tuple[str, ...]  # {brand}: the customer's short name
    task_titles: tuple[str, ...]  # {name}: the customer's name
    followup_texts: tuple[str, ...]
    promises: tuple[str, ...]
    next_steps: tuple[str, ...]
    notes: tuple[str, ...]
    # Why a manager fixed a customer's grade by hand, by the grade he fixed (a note saying
    # "keep at A" on a customer fixed at C would contradict itself).
    grade_notes: dict[str, tuple[str, ...]]
    renewal_notes: tuple[str, ...]
    termination_notes: tuple[str, ...]
    payment_notes: tuple[str, ...]
    deposit_note: str  # the first instalment of a plan with a deposit
    final_note: str  # and its last
    job_titles: tuple[str, ...]


CHINESE = Phrases(
    opportunity_titles=(
        "{brand}年度采购", "{brand}系统升级项目", "{brand}新门店设备", "{brand}二期扩容",
        "{brand}维护续约", "{brand}信息化改造", "{brand}续约", "{brand}试点上线",
    ),
    task_titles=(
        "给{name}发报价单", "回访{name}", "准备{name}的合同", "催{name}付款", "上门拜访{name}",
        "给{name}寄样品", "确认{name}的交付时间", "给{name}发更新后的方案",
    ),
    followup_texts=(
        "电话沟通了新一年的采购计划，客户对专业版感兴趣。",
        "上门拜访，演示了移动端功能，对方反馈良好。",
        "客户询问价格和交付周期，已口头报价。",
        "微信沟通，客户说预算下月批下来。",
        "客户投诉打印机卡纸，已安排技术支持。",
        "参加了客户的供应商评审会，我们进入短名单。",
        "电话沟通续约，客户希望签三年并给折扣。",
        "与采购团队见面，逐项讲解了方案。",
    ),
    promises=(
        "周五前发正式报价",
        "下周安排工程师上门",
        "给对方申请九折优惠",
        "寄两台样机试用",
        "周一前发合同草稿",
    ),
    next_steps=(
        "再次电话确认预算",
        "安排产品演示",
        "发送合同草稿",
        "约技术负责人见面",
        "跟进已签回的报价单",
    ),
    notes=(
        "老板比较重视售后服务。",
        "每年三月做预算。",
        "只接受对公转账。",
        "喜欢邮件沟通，少打电话。",
        "决策人是采购经理，总经理最后签字。",
    ),
    grade_notes={
        "A": ("集团重点客户，保持 A 级", "重点客户：不论今年回款多少都保持 A 级", "总经理指定"),
        "B": ("战略合作伙伴，总经理指定", "新签大客户，先定为 B 级"),
        "C": ("长期欠款，暂定 C 级", "总经理指定"),
    },
    renewal_notes=(
        "客户已口头同意续签",
        "等待对方预算审批",
        "要求续约价格下调 5%",
        "竞争对手报价更低，需要经理出面",
        "公司搬迁，暂不续约",
        "等新任采购经理签字",
    ),
    termination_notes=("客户经营调整，双方协商提前解约", "双方协商一致，提前终止"),
    payment_notes=("预付款", "定金", "服务费", "明年订单的预付款"),
    deposit_note="首付款",
    final_note="尾款",
    job_titles=(
        "总经理", "采购经理", "采购专员", "财务主管",
        "行政主管", "技术总监", "销售总监", "运营经理",
    ),
)  # fmt: skip

ENGLISH = Phrases(
    opportunity_titles=(
        "{brand} annual purchase", "{brand} system upgrade", "{brand} new store equipment",
        "{brand} phase two expansion", "{brand} maintenance renewal", "{brand} IT overhaul",
        "{brand} renewal", "{brand} pilot rollout",
    ),
    task_titles=(
        "Send {name} a quote", "Call {name} back", "Prepare the contract for {name}",
        "Chase {name} for payment", "Visit {name}", "Send {name} samples",
        "Confirm the delivery date with {name}", "Send {name} the updated proposal",
    ),
    followup_texts=(
        "Talked through next year's purchasing plan; interested in the professional edition.",
        "Visited and demonstrated the mobile app; good feedback.",
        "Asked about prices and delivery times; gave a quote by phone.",
        "Messaged on WeChat: their budget is approved next month.",
        "Complaint about the printer jamming; support is booked.",
        "Attended their supplier review; we made the shortlist.",
        "Called about the renewal; they want a discount for three years.",
        "Met the purchasing team and walked through the proposal.",
    ),
    promises=(
        "Formal quote by Friday",
        "An engineer visits next week",
        "Ask for a 10% discount for them",
        "Send two sample units to try",
        "Send the contract draft by Monday",
    ),
    next_steps=(
        "Call again to confirm the budget",
        "Arrange a product demo",
        "Send the contract draft",
        "Meet their technical lead",
        "Follow up on the signed quote",
    ),
    notes=(
        "The owner cares most about after-sales service.",
        "Budgets are set every March.",
        "Pays by bank transfer only.",
        "Prefers email to phone calls.",
        "The purchasing manager decides; the general manager signs.",
    ),
    grade_notes={
        "A": (
            "Group key account: keep at A",
            "Key account: keep at A whatever it pays this year",
            "The general manager's call",
        ),
        "B": ("Strategic partner, the general manager's call", "New large account: B to start"),
        "C": ("Long overdue payments: C for now", "The general manager's call"),
    },
    renewal_notes=(
        "Agreed to renew by phone",
        "Waiting for their budget approval",
        "Wants the renewal 5% cheaper",
        "A competitor quoted lower; needs the manager",
        "Moving offices, not renewing for now",
        "Waiting for the new purchasing manager to sign",
    ),
    termination_notes=(
        "Business restructured; ended early by agreement",
        "Ended early by mutual agreement",
    ),
    payment_notes=(
        "Advance payment", "Deposit", "Service fee", "Advance payment for next year's order",
    ),
    deposit_note="Deposit",
    final_note="Final payment",
    job_titles=(
        "General Manager", "Purchasing Manager", "Purchasing Officer", "Finance Supervisor",
        "Office Manager", "IT Director", "Sales Director", "Operations Manager",
    ),
)  # fmt: skip
