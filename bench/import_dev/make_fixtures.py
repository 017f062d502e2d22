"""Make the tests' small import set in tests/fixtures/import/ (texts unlike the corpus's).

Run: .venv/bin/python bench/import_dev/make_fixtures.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from wordgen import WordFile, level  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "import"


def numbered() -> None:
    """Two lists (chapters; articles running on with （一） items), red header, a table
    with a merged header cell, signature block."""
    w = WordFile()
    w.abstract(0, [level(0, "chineseCountingThousand", "第%1章", suffix="space")])
    w.abstract(1, [level(0, "chineseCountingThousand", "第%1条", suffix="space"),
                   level(1, "chineseCounting", "（%2）", suffix="nothing")])
    w.num(5, 0)
    w.num(6, 1)
    w.header_footer("北辰仓储有限公司")
    w.red_header("北辰仓储有限公司文件", "北辰〔2026〕15号")
    w.para("北辰仓储有限公司车辆使用管理办法", align="center", bold=True)
    w.para("总则", num=5)
    w.para("为规范公司车辆使用，保障行车安全，制定本办法。", num=6)
    w.para("公司车辆由办公室统一调度。", num=6)
    w.para("用车与费用", num=5)
    w.para("用车应当履行以下手续：", num=6)
    w.para("填写用车申请；", num=6, ilvl=1)
    w.para("部门负责人签字。", num=6, ilvl=1)
    w.para("油费补贴标准如下：", num=6)
    w.table([["车型", "补贴（元/公里）", ""], ["", "市内", "市外"],
             ["轿车", "1.2", "1.0"], ["商务车", "1.5", "1.3"]],
            merges=((0, 1, 0, 2), (0, 0, 1, 0)))
    w.para("附则", num=5)
    w.para("本办法自2026年4月1日起施行。", num=6)
    w.para("北辰仓储有限公司", align="right")
    w.para("2026年3月20日", align="right")
    w.save(OUT / "word-numbered.docx")


def tracked() -> None:
    """Typed articles with a tracked insertion, a tracked deletion and a comment."""
    w = WordFile()
    w.para("档案借阅规定", align="center", bold=True)
    w.para("第一条　为加强档案管理，制定本规定。")
    second = w.revised([("", "第二条　借阅档案须经"), ("del", "办公室主任"),
                        ("ins", "分管领导"), ("", "批准。")])
    w.comment(second, "是否需要两级审批？")
    w.para("第三条　本规定自发布之日起施行。")
    w.save(OUT / "word-tracked.docx")


GBK = """北辰仓储有限公司钥匙管理规定
第1条 为加强钥匙管理，保障库房安全，制定本规定。
第2条 库房钥匙由仓库主管保管。
第3条 借用钥匙应当：
(1) 登记借用时间；
(2) 当日归还。
第4条 本规定自2026年5月1日起施行。
北辰仓储有限公司
2026年4月10日
"""


def main() -> None:
    """Write the fixtures."""
    OUT.mkdir(parents=True, exist_ok=True)
    numbered()
    tracked()
    (OUT / "gbk-articles.txt").write_bytes(GBK.encode("gbk"))


if __name__ == "__main__":
    main()
