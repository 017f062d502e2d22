"""Make the importer's development corpus in bench/import_dev/files/.

Texts written for this corpus (none is a bundled regulation); the expected structure of
each file is written by hand in expected.json. Run: .venv/bin/python bench/import_dev/make_corpus.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from wordgen import WordFile, level  # noqa: E402

FILES = Path(__file__).parent / "files"


def two_lists() -> None:
    """Word: chapters and articles in two lists, articles running on across chapters; red
    header, 主送, Word TOC, a rate table with a merged header, signature, header/footer."""
    w = WordFile()
    w.abstract(0, [level(0, "chineseCountingThousand", "第%1章", suffix="space")])
    w.abstract(1, [level(0, "chineseCountingThousand", "第%1条", suffix="space"),
                   level(1, "chineseCounting", "（%2）", suffix="nothing")])
    w.num(1, 0)
    w.num(2, 1)
    w.header_footer("远帆科技有限公司")
    w.red_header("远帆科技有限公司文件", "远帆〔2026〕8号")
    w.para("远帆科技有限公司差旅费用管理办法", align="center", bold=True, size=22)
    w.para("各部门、各分公司：")
    w.word_toc(["第一章 总则", "第二章 差旅标准", "第三章 报销", "第四章 附则"])
    chapter, article, item = 1, 2, 2
    w.para("总则", num=chapter, align="center", bold=True)
    w.para("为规范公司员工差旅费用管理，合理控制成本，根据国家有关规定，结合公司实际，制定本办法。",
           num=article)
    w.para("本办法适用于公司全体员工因公出差发生的交通费、住宿费和伙食补助。", num=article)
    w.para("差旅费用管理遵循以下原则：", num=article)
    for text in ("厉行节约，从严控制；", "事前审批，据实报销；", "分级管理，责任到人。"):
        w.para(text, num=item, ilvl=1)
    w.para("差旅标准", num=chapter, align="center", bold=True)
    w.para("员工出差应优先选择公共交通工具，确需乘坐飞机的，须经部门负责人批准。", num=article)
    w.para("住宿费按下表标准据实报销，超出部分由个人承担：", num=article)
    w.table([["职级", "住宿标准（元/晚）", ""], ["", "一线城市", "其他城市"],
             ["总经理", "800", "600"], ["部门经理", "500", "400"],
             ["主管及以下员工", "350", "280"]], merges=((0, 1, 0, 2), (0, 0, 1, 0)))
    w.para("伙食补助按出差天数计算，每人每天一百元，不再另行报销餐费。", num=article)
    w.para("报销", num=chapter, align="center", bold=True)
    w.para("员工出差返回后十个工作日内，应填写差旅费报销单，附原始票据，按规定程序报销。",
           num=article)
    w.para("报销审批程序如下：", num=article)
    for text in ("部门负责人审核出差事由和天数；", "财务部审核票据和标准；", "分管领导审批；",
                 "出纳办理支付。"):
        w.para(text, num=item, ilvl=1)
    w.para("有下列情形之一的，财务部不予报销：", num=article)
    for text in ("未经批准擅自出差的；", "票据不真实或者不完整的。"):
        w.para(text, num=item, ilvl=1)
    w.para("虚报、冒领差旅费用的，一经查实，追回款项，并按照《员工奖惩办法》处理。", num=article)
    w.para("附则", num=chapter, align="center", bold=True)
    w.para("本办法由财务部负责解释。", num=article)
    w.para("本办法自2026年2月1日起施行。", num=article)
    w.para()
    w.para("远帆科技有限公司", align="right")
    w.para("2026年1月1日", align="right")
    w.para("抄送：董事会、监事会。")
    w.save(FILES / "word-two-lists.docx")


def heading_style() -> None:
    """Word: chapters numbered through the Heading 1 style, articles never restarting
    (lvlRestart 0), 1. and ① levels, a second list restarted by startOverride."""
    w = WordFile()
    w.abstract(0, [level(0, "chineseCountingThousand", "第%1章", pstyle="Heading1",
                         suffix="space"),
                   level(1, "chineseCountingThousand", "第%2条", restart=0, suffix="space"),
                   level(2, "decimal", "%3."),
                   level(3, "decimalEnclosedCircle", "%4")])
    w.abstract(1, [level(0, "chineseCounting", "（%1）", suffix="nothing")])
    w.num(1, 0)
    w.num(2, 1)
    w.num(3, 1, {0: 1})
    w.number_style("Heading 1", 1, 0)
    w.para("云帆物流有限公司安全生产管理规定", style="Title")
    art = {"num": 1, "ilvl": 1}
    w.para("总则", style="Heading 1")
    w.para("为加强安全生产管理，防止和减少生产安全事故，制定本规定。", **art)
    w.para("本规定适用于公司各仓库、车队和办公场所。", **art)
    w.para("安全生产工作坚持以下方针：", **art)
    for text in ("安全第一；", "预防为主；", "综合治理。"):
        w.para(text, num=2)
    w.para("安全职责", style="Heading 1")
    w.para("总经理是公司安全生产第一责任人，主要职责是：", **art)
    for text in ("建立健全安全生产责任制；", "组织制定安全生产规章制度；", "保证安全生产投入。"):
        w.para(text, num=1, ilvl=2)
    w.para("安全管理员负责日常安全检查，发现隐患应当：", **art)
    for text in ("立即报告；", "设置警示标志；", "督促整改。"):
        w.para(text, num=3)
    w.para("检查与考核", style="Heading 1")
    w.para("公司每月组织一次安全检查，检查内容包括：", **art)
    w.para("消防设施是否完好：", num=1, ilvl=2)
    w.para("灭火器压力是否正常；", num=1, ilvl=3)
    w.para("消防通道是否畅通。", num=1, ilvl=3)
    w.para("车辆是否按期保养。", num=1, ilvl=2)
    w.para("检查发现的问题，责任部门应在七日内整改完毕。", **art)
    w.para("对安全生产工作成绩突出的部门和个人，公司给予表彰奖励。", **art)
    w.para("附则", style="Heading 1")
    w.para("本规定自二〇二六年一月一日起施行。", **art)
    w.para("云帆物流有限公司安全委员会", align="right")
    w.para("二〇二五年十二月二十日", align="right")
    w.save(FILES / "word-heading-style.docx")


def tracked() -> None:
    """Word: typed labels, tracked insertions and deletions (a whole article replaced),
    two comments."""
    w = WordFile()
    w.para("会议室使用管理办法", align="center", bold=True, size=18)
    w.para("第一条　为规范会议室使用，提高使用效率，制定本办法。")
    w.revised([("", "第二条　会议室由行政部统一管理"), ("del", "，其他部门不得擅自占用"),
               ("ins", "，各部门按需预约"), ("", "。")])
    third = w.revised([("", "第三条　使用会议室应提前"), ("del", "一天"), ("ins", "两个工作日"),
                       ("", "在OA系统预约。")])
    w.comment(third, "两个工作日是否过长？")
    w.revised([("del", "第四条　会议室钥匙由前台保管。")], deleted_paragraph=True)
    w.revised([("ins", "第四条　会议结束后，使用部门应恢复会议室原状。")],
              inserted_paragraph=True)
    fifth = w.para("第五条　本办法自印发之日起施行。")
    w.comment(fifth, "请确认印发日期。", author="张伟")
    w.para("行政部", align="right")
    w.para("2026年3月10日", align="right")
    w.save(FILES / "word-tracked-comments.docx")


def wps_typed() -> None:
    """WPS style: typed 第1章 / 第 1 条 with titles, a typed TOC with dot leaders, a page
    number typed into the body, a time table with a merged note row."""
    w = WordFile()
    w.header_footer("云石建材有限公司")
    w.red_header("云石建材有限公司文件", "云石〔2025〕12号")
    w.para("云石建材有限公司员工考勤管理制度", align="center", bold=True, size=22)
    w.para("目 录", align="center")
    for entry, page in (("第1章 总则", 1), ("第2章 考勤管理", 2), ("第3章 附则", 3)):
        w.para(f"{entry}……………………………………{page}")
    w.para("第1章 总则", align="center", bold=True)
    w.para("第 1 条 目的 为加强员工考勤管理，维护正常工作秩序，制定本制度。")
    w.para("第 2 条 适用范围 本制度适用于公司全体员工。")
    w.para("第2章 考勤管理", align="center", bold=True)
    w.para("第 3 条 工作时间")
    w.para("公司实行每周五天工作制，具体作息时间如下表：")
    w.table([["季节", "上午", "下午"], ["夏季（5月—9月）", "8:30—12:00", "14:00—18:00"],
             ["冬季（10月—次年4月）", "8:30—12:00", "13:30—17:30"],
             ["遇特殊情况由综合管理部另行通知。", "", ""]], merges=((3, 0, 3, 2),))
    w.para("- 1 -", align="center")
    w.para("第 4 条 请假 员工请假应按以下规定办理：")
    w.para("(1) 请假一天以内的，由部门经理批准；")
    w.para("(2) 请假一天以上三天以内的，由分管副总批准；")
    w.para("(3) 请假三天以上的，由总经理批准。")
    w.para("第 5 条 迟到与早退 员工迟到或早退三十分钟以内的，每次扣款二十元。")
    w.para("第3章 附则", align="center", bold=True)
    w.para("第 6 条 本制度由综合管理部负责解释。")
    w.para("第 7 条 本制度自2025年3月1日起执行。")
    w.para("云石建材有限公司综合管理部", align="right")
    w.para("2025年2月20日", align="right")
    w.save(FILES / "wps-typed-numbers.docx")


def outline_levels() -> None:
    """Word: one five-level outline list 一、（一）1.（1）①, WPS-like; 附件 list, Chinese
    date and 印发 line after the text."""
    w = WordFile()
    w.abstract(3, [level(0, "chineseCounting", "%1、", suffix="nothing"),
                   level(1, "chineseCounting", "（%2）", suffix="nothing"),
                   level(2, "decimal", "%3.", suffix="nothing"),
                   level(3, "decimal", "（%4）", suffix="nothing"),
                   level(4, "decimalEnclosedCircle", "%5", suffix="nothing")])
    w.num(7, 3)
    w.para("晨光食品有限公司仓库管理制度", align="center", bold=True, size=18)

    def p(text: str, ilvl: int) -> None:
        w.para(text, num=7, ilvl=ilvl)

    p("总则", 0)
    p("目的", 1)
    w.para("为加强仓库管理，保证物资安全，制定本制度。")
    p("适用范围", 1)
    p("本制度适用于公司原料库和成品库。", 2)
    p("外租仓库参照本制度执行。", 2)
    p("入库与出库", 0)
    p("入库管理", 1)
    p("物资入库前，仓管员应当核对以下内容：", 2)
    p("送货单与采购订单是否一致；", 3)
    p("物资数量、规格是否相符；", 3)
    p("食品原料的检验结果，包括：", 3)
    p("感官检验；", 4)
    p("理化检验。", 4)
    p("验收合格后，仓管员办理入库手续。", 2)
    p("出库管理", 1)
    p("物资出库实行先进先出。", 2)
    p("领料单须经部门负责人签字。", 2)
    p("附则", 0)
    p("本制度自2026年6月1日起施行。", 2)
    w.para("附件：1.入库单")
    w.para("2.领料单")
    w.para("晨光食品有限公司", align="right")
    w.para("二〇二六年五月二十日", align="right")
    w.para("晨光食品有限公司综合办公室　　2026年5月20日印发")
    w.save(FILES / "word-outline-levels.docx")


BOM_ARTICLES = """\ufeff华远建设集团有限公司用印管理规定
华远〔2025〕21号
各子公司、各部门：
第一章 总则
第一条 为规范公司印章使用，防范用印风险，根据集团有关规定，制定本规定。
第二条 本规定所称印章，包括公章、合同专用章、财务专用章和法定代表人名章。
第二章 用印审批
第三条 用印实行审批制度，审批权限如下：
1．合同用印，由法务部审核后报分管领导审批；
2．对外报送文件用印，由办公室主任审批；
3．财务用印，由财务总监审批。
第四条 用印人应当填写用印登记表，写明用印事由、份数和审批人。依照第三条规定审批的文件，方可用印。
第三章 附则
第五条 本规定由办公室负责解释。
第六条 本规定自印发之日起施行。

附件：用印登记表

华远建设集团有限公司
2025年9月1日
抄送：集团领导班子。
华远建设集团有限公司办公室　　2025年9月2日印发
"""


GBK_ARTICLES = """远帆科技有限公司办公用品管理制度
远帆〔2026〕3号
第1条 为规范办公用品的采购、领用和保管，节约开支，制定本制度。
第2条 本制度适用于公司各部门。
第3条 办公用品由行政部统一采购，各部门不得自行采购。
第4条 各部门每月25日前提交下月办公用品需求计划。
第5条 领用办公用品应当遵守以下规定：
(1) 领用人填写领用登记表；
(2) 部门负责人签字确认；
(3) 行政部核对后发放。
第6条 贵重办公用品实行以旧换新。
第7条 员工离职时应当归还所领用的耐用办公用品。
第8条 违反本制度造成浪费的，按照公司有关规定处理。
第9条 本制度自2026年3月1日起施行。

远帆科技有限公司行政部
2026年2月15日
"""

UTF16_OUTLINE = """星河商贸有限公司销售管理制度
一、总则
（一）目的
为规范销售行为，提高销售业绩，制定本制度。
（二）适用范围
1.本制度适用于公司销售部全体人员。
2.其他部门参与销售活动的，参照本制度执行。
二、销售管理
（一）客户管理
1.销售人员应建立客户档案，内容包括：
（1）客户名称和联系方式；
（2）采购记录；
（3）信用情况，分为：
①优良；
②一般；
③较差。
2.客户档案每季度更新一次。
（二）合同管理
1.销售合同须经法务审核。
2.合同金额超过五十万元的，须经总经理批准。
三、附则
1.本制度自2025年10月1日起施行。
"""

DECIMAL_OUTLINE = """青松软件有限公司信息安全管理规范
1 总则
1.1 为保障公司信息系统安全，防止信息泄露，制定本规范。
1.2 本规范适用于公司全体员工及外包人员。
2 账号与密码
2.1 员工账号实行实名制，一人一号，不得转借。
2.2 密码应当符合以下要求：
2.2.1 长度不少于十位；
2.2.2 包含字母、数字和符号；
2.2.3 每九十天更换一次。
2.3 员工离职当日，信息部应注销其账号。
3 数据保护
3.1 涉密数据应当加密存储，不得通过个人邮箱传送。
3.2 发现信息安全事件，应当立即向信息部报告。
4 附则
4.1 本规范由信息部负责解释。
4.2 本规范自2026年1月1日起施行。
"""

TITLED_ARTICLES = """青松软件有限公司采购管理办法
第一章　总则
第一条　目的
为规范采购行为，降低采购成本，制定本办法。
第二条　适用范围
本办法适用于公司所有物资和服务的采购。
第二章　采购程序
第1节　计划与审批
第三条　采购计划
各部门应于每季度末提交下季度采购计划。
第四条　审批权限
采购审批权限如下：
（一）五千元以下的，由部门经理审批；
（二）五千元以上五万元以下的，由财务总监审批；
（三）五万元以上的，由总经理审批。
第 1 页 共 2 页
第2节　验收与付款
第五条　验收
采购物资到货后，由使用部门和仓库共同验收。
第六条　付款
财务部凭验收单和发票办理付款。
第三章　附则
第七条　施行日期
本办法自2025年7月1日起施行。
"""


def main() -> None:
    """Write every file of the corpus."""
    FILES.mkdir(exist_ok=True)
    two_lists()
    heading_style()
    tracked()
    wps_typed()
    outline_levels()
    (FILES / "utf8-bom-articles.txt").write_text(BOM_ARTICLES[1:], encoding="utf-8-sig")
    (FILES / "gbk-numbered-articles.txt").write_bytes(GBK_ARTICLES.encode("gbk"))
    (FILES / "utf16-outline.txt").write_bytes(UTF16_OUTLINE.encode("utf-16"))
    (FILES / "decimal-outline.txt").write_text(DECIMAL_OUTLINE, encoding="utf-8")
    (FILES / "gbk-titled-articles.txt").write_bytes(TITLED_ARTICLES.encode("gbk"))
    print(f"wrote {len(list(FILES.iterdir()))} files to {FILES}")


if __name__ == "__main__":
    main()
