"""Forms resolution: each form's fields, the articles that require it, its approval chain
(given, or taken from the process that uses it) and the regulation tables it reprints."""

from __future__ import annotations

import functools

from . import model, schema, zh
from .discovery import Parsed
from .errors import Location, display_path, suggest
from .load_names import Names
from .sourcemap import SourceMap


class FormUses:
    """How the regulations use each form, worked out once for all forms: the approval
    chain of the first process whose steps use it, and the articles that name it."""

    def __init__(self, regulations: tuple[model.Regulation, ...]) -> None:
        self.by_id = {r.id: r for r in regulations}
        self.regulations = regulations
        self.chains: dict[str, tuple[tuple[str, ...], str]] = {}
        for regulation in regulations:
            for process in regulation.processes:
                chains: dict[str, list[str]] = {}
                for step in process.steps:
                    if step.form:
                        chain = chains.setdefault(step.form, [])
                        chain.extend(a for a in step.approvers if a not in chain)
                for form_id, chain in chains.items():
                    if chain and form_id not in self.chains:
                        self.chains[form_id] = (tuple(chain), f"{regulation.id}#{process.id}")

    @functools.cached_property
    def cited(self) -> dict[str, list[str]]:
        """For each form, the articles that name it (needed only by forms without
        `required_by`, so worked out on first use)."""
        cited: dict[str, list[str]] = {}
        for regulation in self.regulations:
            for article in regulation.all_articles():
                for form_id in dict.fromkeys(r.target for r in article.references("form")):
                    cited.setdefault(form_id, []).append(f"{regulation.id}#{article.key}")
        return cited


class FormBuilder:
    """Builds the model of each form, resolving its references against the loader."""

    def __init__(self, resolver: Names, uses: FormUses) -> None:
        self.resolver = resolver
        self.sink = resolver.sink
        self.uses = uses

    def form(self, parsed: Parsed) -> model.Form:
        """The form's model; its problems are reported to the loader's sink."""
        data: schema.Form = parsed.data
        source = parsed.source
        required_by = self._required_by(data, source)
        sections = self._sections(data, source)
        if not data.required_by:
            required_by = list(self.uses.cited.get(data.id, ()))
        approval, approval_source = self._approval(data, source)
        clauses = tuple(model.Clause(number=i + 1, label=zh.article_label(i + 1),
                                     title=c.title, text=c.text)
                        for i, c in enumerate(data.clauses))
        return model.Form(
            id=data.id, title=data.title, number=data.number, kind=data.kind,
            version=data.version, required_by=tuple(required_by),
            description=data.description, sections=sections, clauses=clauses,
            approval=approval, approval_source=approval_source, notes=tuple(data.notes),
            file=display_path(parsed.path, self.resolver.root), pages=data.pages,
            reference_tables=self._reference_tables(data, source))

    def _required_by(self, data: schema.Form, source: SourceMap) -> list[str]:
        required_by: list[str] = []
        for index, written in enumerate(data.required_by):
            location = source.value(("required_by", index))
            if "#" not in written:
                self.sink.error(location, f"`{written}` names no regulation",
                                "write `regulation-id#article-id`")
                continue
            target = self.resolver.article_target("", written, location)
            if target:
                required_by.append(target)
        return required_by

    def _sections(self, data: schema.Form, source: SourceMap
                  ) -> tuple[model.FormSection, ...]:
        sections = [(s.title, s.fields, ("sections", i)) for i, s in enumerate(data.sections)]
        if data.fields:
            sections.insert(0, ("", data.fields, ()))
        if not sections and data.kind != "contract":
            self.sink.error(source.value(()), f"form `{data.id}` has no fields",
                            "add `fields:` or `sections:`")
        used_names: set[str] = set()
        model_sections = []
        for title, fields, path in sections:
            built = []
            for f_index, item in enumerate(fields):
                name = item.id or f"field-{len(used_names) + 1}"
                if name in used_names:
                    self.sink.error(source.value(path + ("fields", f_index, "id")),
                                    f"duplicate field id `{name}` in this form",
                                    "field ids name the fillable PDF fields: keep them unique")
                used_names.add(name)
                built.append(model.FormField(
                    name=name, label=item.label, type=item.type, options=tuple(item.options),
                    required=item.required, prefill=item.prefill,
                    columns=tuple(model.FormColumn(label=c.label, type=c.type)
                                  for c in item.columns),
                    rows=item.rows))
                if item.prefill:
                    self._check_prefill(source.value(path + ("fields", f_index, "prefill")),
                                        item.prefill)
            model_sections.append(model.FormSection(title=title, fields=tuple(built)))
        return tuple(model_sections)

    def _reference_tables(self, data: schema.Form, source: SourceMap
                          ) -> tuple[tuple[str, model.Table], ...]:
        by_id = self.uses.by_id
        found = []
        for index, written in enumerate(data.reference_tables):
            regulation_id, _, table_id = written.partition("#")
            regulation = by_id.get(regulation_id)
            tables = {t.id: t for t in regulation.tables()} if regulation else {}
            if table_id in tables:
                found.append((regulation_id, tables[table_id]))
            elif regulation is None and regulation_id not in self.resolver.broken:
                self.resolver.unknown(source.value(("reference_tables", index)), "regulation",
                                      regulation_id, list(by_id))
            elif regulation is not None:
                self.sink.error(source.value(("reference_tables", index)),
                                f"no table `{table_id}` in regulation `{regulation_id}`",
                                suggest(table_id, list(tables)) or
                                "tables: " + (", ".join(tables) or "none"))
        return tuple(found)

    def _check_prefill(self, location: Location, prefill: str) -> None:
        allowed = [f"company.{name}" for name in schema.Company.model_fields if name != "fonts"]
        if prefill not in allowed:
            self.sink.error(location, f"unknown prefill `{prefill}`",
                            suggest(prefill, allowed) or "use one of: " + ", ".join(allowed))

    def _approval(self, data: schema.Form, source: SourceMap) -> tuple[tuple[str, ...], str]:
        derived, derived_source = self.uses.chains.get(data.id, ((), "none"))
        if data.approval is None:
            return derived, derived_source
        for index, role in enumerate(data.approval):
            self.resolver.role(source.value(("approval", index)), role)
        if derived and tuple(data.approval) != derived:
            self.sink.warning(source.value(("approval",)),
                              f"approval {', '.join(data.approval)} differs from process "
                              f"`{derived_source}` ({', '.join(derived)})",
                              "remove `approval:` to follow the process, or change the process")
        return tuple(data.approval), "explicit"
