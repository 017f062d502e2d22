"""The YAML file formats, declared once: validation, JSON Schema and field reference.

These pydantic models describe what a clerk writes in ``regulations/``. They
validate input only; :mod:`generator.model` holds the resolved, numbered,
immutable model that renderers use. Each field's description is the reference
documentation (``handbook schema`` and the README's field reference come from it).

Text fields may contain inline references, which render with the right number
or name however articles move:

* ``{条:article-id}`` → 第十二条; ``{条:other-regulation#article-id}`` → 《…》第五条
* ``{岗位:role-id}`` → 业务员; ``{岗位:role-id|部门经理}`` shows the given wording
* ``{表:form-id}`` → 《派车申请单》
* ``{制度:regulation-id}`` → 《差旅费管理制度》
* ``{部门:department-id}`` → 业务部
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""Stable identifier: lower-case ASCII letters, digits and '-', e.g. `vehicle-request`."""

RefToArticle = Annotated[str, StringConstraints(
    pattern=r"^[a-z0-9][a-z0-9-]{0,62}(#[a-z0-9][a-z0-9-]{0,62})?$")]
Version = Annotated[str, StringConstraints(pattern=r"^\d{1,3}(\.\d{1,3}){0,2}$")]
Text = Annotated[str, StringConstraints(min_length=1)]
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""What str.splitlines() breaks at: none of it may be in a one-line field."""


MAX_LINE = 255
"""Characters of a one-line field (a title, a name, a label)."""
MAX_TABLE_COLUMNS = 20
"""Columns of a table: at 20, a column of a form printed on A4 is 9 mm wide, room for
one or two handwritten characters."""


def _one_line(value: str) -> str:
    if any(mark in value for mark in LINE_BREAKS):
        raise PydanticCustomError("line_break", "must be on one line")
    return value


Line = Annotated[str, StringConstraints(min_length=1, max_length=MAX_LINE),
                 AfterValidator(_one_line)]
"""Text on one line (titles, names, numbers): they land in headings, tables, navigation."""
OptionalLine = Annotated[str, StringConstraints(max_length=MAX_LINE), AfterValidator(_one_line)]
ListStyle = Literal["（一）", "一、", "1.", "1、", "(1)", "（1）", "①", "A.", "a."]
Status = Literal["draft", "active", "superseded", "repealed"]


class Strict(BaseModel):
    """Base of every file model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _text_shorthand(value: Any) -> Any:
    """Let a bare string stand for `{text: ...}` in lists of items and paragraphs."""
    if isinstance(value, str):
        return {"text": value}
    return value


# ---------------------------------------------------------------- company.yaml


class Fonts(Strict):
    """Default East Asian fonts; the Word style template may override them."""

    title: str = Field("方正小标宋简体", description="Font of the document title (二号).")
    heading: str = Field("黑体", description="Font of chapter headings and article numbers.")
    body: str = Field("仿宋_GB2312", description="Font of body text (三号).")
    body_fallback: str = Field("仿宋", description="Used where the body font is missing.")


class Company(Strict):
    """`regulations/company.yaml`: the company that issues the regulations."""

    name: Line = Field(description="Full registered name, e.g. 临江云石建材有限公司.")
    short_name: Line = Field(description="Short name used in headers, e.g. 云石建材.")
    number_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9-]{0,15}$")] = Field(
        description="Prefix of document numbers, e.g. YS; regulation numbers read YS-YW-ZD-001.")
    address: str | None = Field(None, description="Registered address (printed on contracts).")
    phone: str | None = Field(None, description="Switchboard telephone.")
    legal_representative: str | None = Field(None, description="法定代表人.")
    bank: str | None = Field(None, description="开户银行.")
    account: str | None = Field(None, description="银行账号.")
    tax_id: str | None = Field(None, description="统一社会信用代码.")
    fonts: Fonts = Field(default_factory=Fonts, description="Default fonts.")
    issuer_mark: Line | None = Field(
        None, description="发文机关标志 printed in red atop issuance notices "
                          "(`handbook publish`); default: the name followed by 文件.")
    notice_recipients: Line | None = Field(
        None, description="主送 of issuance notices, e.g. 各部门、各分公司; default 各部门.")


# ---------------------------------------------------------------- org.yaml


class Department(Strict):
    """A department (部门)."""

    id: Id = Field(description="Stable id, e.g. `sales`.")
    name: Line = Field(description="Chinese name, e.g. 业务部.")
    parent: Id | None = Field(None, description="Id of the department this one belongs to.")
    aliases: list[Line] = Field(default_factory=list,
                                description="Other names regulations use for it.")
    description: str | None = None


class Role(Strict):
    """A role (岗位) with its duties (职责) and authorities (权限)."""

    id: Id = Field(description="Stable id, e.g. `salesperson`; used in {岗位:…} references.")
    name: Line = Field(description="Chinese name as used in regulations, e.g. 业务员.")
    department: Id | None = Field(None, description="Department id; empty for company officers.")
    reports_to: Id | None = Field(None, description="Role id of the direct superior.")
    aliases: list[Line] = Field(default_factory=list,
                                description="Other names regulations use for this role.")
    duties: list[Text] = Field(default_factory=list, description="职责, one per entry.")
    authorities: list[Text] = Field(default_factory=list, description="权限, one per entry.")


class Org(Strict):
    """`regulations/org.yaml`: departments and roles; the org chart follows from reports_to."""

    departments: list[Department] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)


# ---------------------------------------------------------------- regulations


class Revision(Strict):
    """One entry of a regulation's or form's revision history."""

    version: Version = Field(description='Version in quotes, e.g. "1.1".')
    date: dt.date = Field(description="YYYY-MM-DD.")
    change: Literal["substantive", "editorial"] | None = Field(
        None, description="`substantive` 实质性修订 (raises the major version, 1.2 → 2.0) or "
                          "`editorial` 文字性修订 (the minor version, 1.2 → 1.3).")
    summary: Text = Field(description="What changed.")
    fingerprint: str | None = Field(None, description="Content hash written by `handbook "
                                                      "revise`; do not edit.")


class Column(Strict):
    """A table column. Type `weight` holds percentages that must add up to 100."""

    title: Line = Field(description="Column heading.")
    type: Literal["text", "number", "money", "percent", "weight"] = "text"


class Table(Strict):
    """A structured table, e.g. travel allowance standards per role."""

    id: Id = Field(description="Stable id; forms refer to it as `regulation-id#table-id`.")
    title: Line = Field(description="Caption, e.g. 住宿费用标准.")
    columns: list[Column] = Field(min_length=1, max_length=MAX_TABLE_COLUMNS,
                                  description="At most 20, as many as fit across a page.")
    rows: list[list[str | int | None]] = Field(min_length=1,
                                               description="One list of cells per row.")
    note: str | None = None


class TextBlock(Strict):
    """Text followed by a numbered list; a bare string is accepted for `{text: ...}`."""

    text: Text = Field(description="The text, without any label; may hold {岗位:…} references.")
    items: list[Item] = Field(default_factory=list, description="Items listed under the text.")
    items_style: ListStyle | None = Field(None, description="Label style of the items.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return _text_shorthand(value)


class Paragraph(TextBlock):
    """A paragraph (款) of an article, optionally followed by items （一）."""


class Item(TextBlock):
    """An item （一） or sub-item 1., optionally with sub-items; a bare string also works."""

    paragraphs: list[Text] = Field(default_factory=list,
                                   description="Further paragraphs of the same item.")


TextBlock.model_rebuild()
Paragraph.model_rebuild()
Item.model_rebuild()


class Article(Strict):
    """An article (条). Its number is computed from its position, never written.

    Write `text` (and `items`) for a one-paragraph article; use `paragraphs` for more.
    """

    id: Id | None = Field(None, description="Stable id for references and anchors.")
    title: OptionalLine | None = Field(None, description="Short heading, e.g. 客户开发与维护.")
    text: str | None = Field(None, description="First paragraph.")
    items: list[Item] = Field(default_factory=list, description="Items of the first paragraph.")
    items_style: ListStyle | None = Field(
        None, description="Label style of the items; default （一） (1. in outline numbering).")
    paragraphs: list[Paragraph] = Field(default_factory=list, description="Further paragraphs.")
    table: Table | None = None
    note: str | None = Field(None, description="Editor's note, not part of the regulation text.")

    @model_validator(mode="after")
    def _has_content(self) -> Article:
        if not (self.text or self.items or self.paragraphs or self.table or self.title):
            raise ValueError("an article needs text, items, paragraphs or a table")
        return self


class Section(Strict):
    """A section (节) of a chapter."""

    id: Id | None = Field(None, description="Stable id (anchor on the site).")
    title: Line = Field(description="Heading without its number.")
    intro: list[Text] = Field(default_factory=list, description="Paragraphs before the articles.")
    table: Table | None = None
    articles: list[Article] = Field(default_factory=list)


class Chapter(Strict):
    """A chapter (章): holds either sections or articles."""

    id: Id | None = Field(None, description="Stable id (anchor on the site).")
    title: Line = Field(description="Heading without its number, e.g. 总则.")
    intro: list[Text] = Field(default_factory=list, description="Paragraphs before the articles.")
    table: Table | None = None
    sections: list[Section] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sections_or_articles(self) -> Chapter:
        if self.sections and self.articles:
            raise ValueError("a chapter holds either sections or articles, not both")
        return self


class Step(Strict):
    """One step of a process (流程)."""

    role: Id = Field(description="Role id of who acts.")
    action: Line = Field(description="What is done, e.g. 填写派车申请单.")
    form: Id | None = Field(None, description="Form id used in this step.")
    approvers: list[Id] = Field(default_factory=list,
                                description="Role ids that approve this step, in order.")


class Process(Strict):
    """A process (流程): ordered steps with the acting role, form and approvers."""

    id: Id = Field(description="Stable id.")
    title: Line = Field(description="Name, e.g. 派车流程.")
    article: RefToArticle | None = Field(None, description="Article that lays the process down.")
    steps: list[Step] = Field(min_length=1)


class Regulation(Strict):
    """`regulations/<id>.yaml`: one regulation (制度)."""

    id: Id = Field(description="Stable id; must equal the file name without .yaml.")
    title: Line = Field(description="Full title, e.g. 公司业务部红线管理制度.")
    number: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-\d{3}$",
                                             max_length=64)] = \
        Field(description="Document number, e.g. YW-ZD-003.")
    category: Line = Field(description="Category shown as a navigation tab, e.g. 业务管理.")
    version: Version = Field(description="Current version, equal to the last revision's.")
    status: Status = Field(description="draft 草案 / active 现行 / superseded / repealed.")
    effective: dt.date = Field(description="生效日期, YYYY-MM-DD.")
    department: Id = Field(description="Issuing department id.")
    approver: Id = Field(description="Role id that approves the regulation.")
    applies_to: list[Id] = Field(min_length=1, description="Role or department ids it binds.")
    numbering: Literal["article", "outline"] = Field(
        "article", description="`article`: 第一章/第一条/（一）; `outline`: 一、/（一）/1./(1).")
    revisions: list[Revision] = Field(
        min_length=1, description="Revision history, oldest first; the last one is `version`.")
    supersedes: Id | None = Field(None, description="Id of the regulation this one replaces.")
    source: str | None = Field(None, description="Where the text came from.")
    note: str | None = Field(None, description="Editor's note (e.g. why it is a draft).")
    preamble: list[Text] = Field(default_factory=list,
                                 description="Paragraphs before the first chapter.")
    chapters: list[Chapter] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list,
                                    description="Articles of a regulation without chapters.")
    postscript: list[Text] = Field(default_factory=list,
                                   description="Paragraphs after the last article.")
    processes: list[Process] = Field(default_factory=list)

    @model_validator(mode="after")
    def _body(self) -> Regulation:
        if self.chapters and self.articles:
            raise ValueError("use either chapters or top-level articles, not both")
        if not self.chapters and not self.articles:
            raise ValueError("a regulation needs chapters or articles")
        return self


# ---------------------------------------------------------------- forms


FieldType = Literal["text", "date", "datetime", "number", "money", "choice", "checkbox",
                    "textarea", "signature", "table"]


class FormColumn(Strict):
    """A column of a repeating table field."""

    label: Line = Field(description="Column heading.")
    type: Literal["text", "date", "number", "money", "checkbox"] = "text"


class FormField(Strict):
    """A field of a form."""

    id: Id | None = Field(None, description="Name of the PDF form field; derived if omitted.")
    label: Line = Field(description="Printed label, e.g. 用车人.")
    type: FieldType = Field("text", description="Kind of input; `table` repeats rows.")
    options: list[Line] = Field(default_factory=list, description="Choices of a `choice` field.")
    required: bool = False
    prefill: str | None = Field(
        None, description="Company value printed in the field, e.g. `company.name`.")
    columns: list[FormColumn] = Field(default_factory=list, max_length=MAX_TABLE_COLUMNS,
                                      description="Columns of a `table`, at most 20.")
    rows: int = Field(5, ge=1, le=40, description="Blank rows printed for a `table`.")

    @model_validator(mode="after")
    def _kind_rules(self) -> FormField:
        if self.type == "choice" and len(self.options) < 2:
            raise ValueError("a `choice` field needs at least two `options`")
        if self.type == "table" and not self.columns:
            raise ValueError("a `table` field needs `columns`")
        return self


class FormSection(Strict):
    """A titled group of fields."""

    title: Line = Field(description="Heading of the group, e.g. 用车信息.")
    fields: list[FormField] = Field(min_length=1)


class Clause(Strict):
    """A contract clause; its number is computed."""

    title: Line = Field(description="Clause heading, e.g. 违约责任.")
    text: Text = Field(description="Clause text; ＿＿＿ marks a blank to fill in.")


class Form(Strict):
    """`regulations/forms/<id>.yaml`: a form (表单)."""

    id: Id = Field(description="Stable id; must equal the file name without .yaml.")
    title: Line = Field(description="Title as regulations quote it, without 《》.")
    number: OptionalLine | None = Field(None, description="Form number, e.g. YW-BD-001.")
    kind: Literal["requisition", "report", "register", "evaluation", "contract", "record"] = \
        Field(description="申请单 / 报告 / 登记表 / 评价表 / 合同 / 记录表.")
    version: Version = Field("1.0", description="Form version printed in its header.")
    required_by: list[RefToArticle] = Field(
        default_factory=list, description="`regulation-id#article-id` that require the form.")
    description: str | None = None
    sections: list[FormSection] = Field(default_factory=list)
    fields: list[FormField] = Field(default_factory=list,
                                    description="Fields when the form has no sections.")
    clauses: list[Clause] = Field(default_factory=list, description="Contract clauses.")
    approval: list[Id] | None = Field(
        None, description="Roles that sign, in order; default: approvers of the process "
                          "steps that use this form.")
    notes: list[Text] = Field(default_factory=list, description="填表说明.")
    reference_tables: list[RefToArticle] = Field(
        default_factory=list, description="Tables of a regulation printed on the form, as "
                                          "`regulation-id#table-id` (e.g. allowance standards).")
    pages: int = Field(1, ge=1, le=20, description="Pages the printed form may take (1: it "
                                                   "must fit one page).")
    revisions: list[Revision] = Field(
        default_factory=list, description="Revision history, oldest first, written by "
                                          "`handbook revise`; the last one is `version`.")


class Synonyms(Strict):
    """`regulations/synonyms.yaml`: everyday words and the words regulations use for them."""

    synonyms: dict[Text, list[Text]] = Field(
        default_factory=dict, description="Everyday word → words in the regulations, e.g. "
                                          "打车: [计程车, 的士]; the site search uses both.")


FILE_MODELS: dict[str, type[Strict]] = {
    "company": Company,
    "org": Org,
    "regulation": Regulation,
    "form": Form,
    "synonyms": Synonyms,
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of every regulations/ file kind, for editors (yaml-language-server)."""
    defs: dict[str, Any] = {}
    branches = []
    for model in FILE_MODELS.values():
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
        branches.append({"$ref": f"#/$defs/{model.__name__}"})
    result = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "handbook-regulations.schema.json",
        "title": "Handbook regulation data (company, org, regulation or form file)",
        "anyOf": branches,
        "$defs": defs,
    }
    return _allow_text_shorthand(result)


def _allow_text_shorthand(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("$ref") in ("#/$defs/Item", "#/$defs/Paragraph") and len(node) == 1:
            return {"anyOf": [{"type": "string", "minLength": 1}, node]}
        return {key: _allow_text_shorthand(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_allow_text_shorthand(value) for value in node]
    return node


def json_schema_text() -> str:
    """json_schema() serialised the way it is committed to regulations/schema.json."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
