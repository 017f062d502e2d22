"""Link what the importer recognises: 《form titles》 → {表:id}, role names → {岗位:id}."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..checks import form_like_mentions

ROLE_SUFFIXES = ("经理", "主管", "总监", "专员", "部长", "主任", "助理", "文员", "会计",
                 "出纳", "组长", "业务员", "跟单员", "调研员", "管理员")


@dataclass
class Linker:
    """Rewrites text with inline references and remembers what it could not link."""

    forms: dict[str, str] = field(default_factory=dict)   # title → id
    roles: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (id, canonical)
    unknown_forms: set[str] = field(default_factory=set)
    unknown_roles: set[str] = field(default_factory=set)

    @classmethod
    def from_project(cls, project) -> Linker:
        """A linker knowing the forms and roles of a loaded project (None: knows nothing)."""
        linker = cls()
        if project is None:
            return linker
        linker.forms = {form.title: form.id for form in project.forms}
        for role in project.roles:
            linker.roles[role.name] = (role.id, role.name)
            for alias in role.aliases:
                linker.roles.setdefault(alias, (role.id, role.name))
        return linker

    def link(self, text: str) -> str:
        """Text with known forms and roles turned into references."""
        for _offset, name in form_like_mentions(text):
            if name in self.forms:
                text = text.replace(f"《{name}》", f"{{表:{self.forms[name]}}}")
            elif self.roles:  # a project is loaded, so its forms are known
                self.unknown_forms.add(name)
        if self.roles:
            names = sorted(self.roles, key=len, reverse=True)
            # 总经理室 / 总经理办公室 name a department, not the role
            pattern = re.compile("(?:" + "|".join(re.escape(n) for n in names) +
                                 ")(?!室|办公室|办|处)")
            pieces = re.split(r"(\{[^{}]*\})", text)
            for index, piece in enumerate(pieces):
                if piece.startswith("{"):
                    continue
                pieces[index] = pattern.sub(self._role_reference, piece)
            text = "".join(pieces)
        if not self.roles:
            return text  # no org.yaml to compare with: nothing to report
        import jieba

        for word in jieba.lcut(re.sub(r"\{[^{}]*\}", "，", text)):
            if len(word) >= 3 and word.endswith(ROLE_SUFFIXES) and word not in self.roles:
                self.unknown_roles.add(word)
        return text

    def _role_reference(self, match: re.Match) -> str:
        role_id, canonical = self.roles[match.group()]
        if match.group() == canonical:
            return f"{{岗位:{role_id}}}"
        return f"{{岗位:{role_id}|{match.group()}}}"

    def warnings(self) -> list[str]:
        """What was named but not found in forms/ or org.yaml."""
        result = [f"form 《{name}》 is not in regulations/forms/" for name in
                  sorted(self.unknown_forms)]
        result += [f"role `{name}` is not in org.yaml" for name in sorted(self.unknown_roles)]
        return result
