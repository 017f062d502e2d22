"""Rich text of one regulation: articles, items, tables and inline references, resolved
against the names the loader knows (load_names.Names)."""

from __future__ import annotations

from . import checks, inline, model, schema, zh
from .discovery import FORMS_DIR
from .errors import Location, suggest
from .load_names import Names
from .sourcemap import SourceMap


class TextBuilder:
    """Builds articles, items and rich text of one regulation, resolving inline references."""

    def __init__(self, resolver: Names, regulation_id: str, source: SourceMap) -> None:
        self.resolver = resolver
        self.regulation_id = regulation_id
        self.source = source

    def text(self, text: str, path: tuple) -> model.RichText:
        """Resolve the inline references of one text value."""
        segments: list[model.Segment] = []
        position = 0
        for piece in inline.split(text):
            if isinstance(piece, str):
                self._check_form_mentions(piece, path, position)
                self._check_punctuation(piece, path, position)
                segments.append(piece)
                position += len(piece)
                continue
            position += len(piece.written)
            reference = self._reference(piece, path)
            segments.append(reference if reference else piece.written)
        return tuple(segments)

    def check_references(self, value: object, path: tuple) -> None:
        """Report the unknown references anywhere in a value as written (strings in any
        nesting of lists and mappings): what a file that failed validation can still be
        checked for, so one run reports every problem."""
        if isinstance(value, str):
            for piece in inline.split(value):
                if not isinstance(piece, str):
                    self._reference(piece, path)
        elif isinstance(value, dict):
            for key, item in value.items():
                self.check_references(item, path + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.check_references(item, path + (index,))

    def check_typed_number(self, text: str | None, path: tuple) -> None:
        """Warn about numbering typed at the start of an article's, paragraph's or item's
        text: the number is computed, so it would show twice (第八条　第八条 …)."""
        typed = zh.typed_number(text or "")
        if typed:
            self.resolver.sink.warning(
                self._location(path, 0), f"`{typed.strip()}` typed at the start of the text",
                "numbers are computed and would show twice: delete it (`handbook check --fix` "
                "does)", removable=typed)

    def _check_punctuation(self, text: str, path: tuple, start: int) -> None:
        for offset, mark in zh.half_width_marks(text):
            self.resolver.sink.warning(
                self._location(path, start + offset),
                f"half-width `{mark}` between Chinese characters",
                f"write `{zh.FULL_WIDTH[mark]}` (handbook import converts these)")

    def _check_form_mentions(self, text: str, path: tuple, start: int) -> None:
        by_title = self.resolver.forms_by_title
        for offset, name in checks.form_like_mentions(text):
            location = self._location(path, start + offset)
            if name in by_title:
                self.resolver.sink.warning(
                    location, f"《{name}》 is written as plain text",
                    f"write {{表:{by_title[name]}}} so it links to the form and follows renames")
            else:
                self.resolver.sink.warning(
                    location, f"form 《{name}》 is not in regulations/{FORMS_DIR}/",
                    suggest(name, list(by_title)) or
                    f"add regulations/{FORMS_DIR}/<id>.yaml with `title: {name}`")

    def texts(self, values: list[str], path: tuple) -> tuple[model.RichText, ...]:
        """Resolve a list of paragraphs."""
        return tuple(self.text(value, path + (i,)) for i, value in enumerate(values))

    def _location(self, path: tuple, offset: int) -> Location:
        location = self.source.value(path)
        if location.line:
            return Location(location.file, location.line, location.column + offset)
        return location

    def _reference(self, piece: inline.RawReference, path: tuple) -> model.Reference | None:
        resolver = self.resolver
        location = self._location(path, piece.offset)
        kind = piece.kind
        if kind is None:
            self.resolver.sink.error(location, f"unknown reference kind `{piece.kind_word}` "
                                     f"in `{piece.written}`",
                                     f"use one of {inline.kind_names()}")
            return None
        target = piece.target
        if not target:
            resolver.sink.error(location, f"empty reference `{piece.written}`",
                                f"write an id after the colon, e.g. {{{piece.kind_word}:some-id}}")
            return None
        if kind == "article":
            canonical = resolver.article_target(self.regulation_id, target, location)
            if canonical is None:
                return None
            regulation_id, _, key = canonical.partition("#")
            shown = resolver.reference_texts[(regulation_id, key)]
            if regulation_id != self.regulation_id:
                shown = f"《{resolver.regulation_titles[regulation_id]}》{shown}"
            return model.Reference(kind=kind, target=canonical, text=piece.display or shown)
        tables = {
            "role": ({k: v.name for k, v in resolver.roles.items()}, "{}"),
            "department": ({k: v.name for k, v in resolver.departments.items()}, "{}"),
            "form": (resolver.form_titles, "《{}》"),
            "regulation": (resolver.regulation_titles, "《{}》"),
        }
        names, template = tables[kind]
        if target not in names:
            resolver.unknown(location, kind, target, list(names), piece.written)
            return None
        return model.Reference(kind=kind, target=target,
                               text=piece.display or template.format(names[target]))

    def table(self, table: schema.Table | None, path: tuple) -> model.Table | None:
        """Copy a table into the model, cells as text, checking its shape and weights."""
        if table is None:
            return None
        sink = self.resolver.sink
        width = len(table.columns)
        for index, row in enumerate(table.rows):
            if len(row) != width:
                sink.error(self.source.value(path + ("rows", index)),
                           f"row has {len(row)} cells but the table has {width} columns",
                           "give every row one cell per column (write ~ for an empty cell)")
        for c_index, column in enumerate(table.columns):
            if column.type != "weight":
                continue
            cells = [str(row[c_index]) for row in table.rows if len(row) > c_index]
            problem = checks.weight_problem(cells)
            if problem:
                sink.error(self.source.value(path + ("columns", c_index)),
                           f"table `{table.id}`: {problem}",
                           "the percentages of a weighted table must add up to 100")
        return model.Table(id=table.id, title=table.title,
                           columns=tuple(model.Column(title=c.title, type=c.type)
                                         for c in table.columns),
                           rows=tuple(tuple("" if cell is None else str(cell) for cell in row)
                                      for row in table.rows), note=table.note)

    def items(self, items: list[schema.Item], style: str, levels: tuple[str, ...],
              path: tuple) -> tuple[model.Item, ...]:
        """Number a list of items in the given style; sub-items go one level deeper."""
        result = []
        for index, item in enumerate(items):
            i_path = path + (index,)
            sub_style = item.items_style or zh.next_style(style, levels)
            self.check_typed_number(item.text, i_path + ("text",))
            result.append(model.Item(
                label=zh.list_label(style, index + 1),
                text=self.text(item.text, i_path + ("text",)),
                paragraphs=self.texts(item.paragraphs, i_path + ("paragraphs",)),
                items=self.items(item.items, sub_style, levels, i_path + ("items",))))
        return tuple(result)

    def article(self, article: schema.Article, path: tuple, numbering: tuple[int, int, str, str],
                levels: tuple[str, ...]) -> model.Article:
        """Build one article, given its (ordinal, number, label, citation)."""
        ordinal, number, label, citation = numbering
        paragraphs = []
        default_style = levels[0]
        self.check_typed_number(article.text, path + ("text",))
        if article.text or article.items:
            style = article.items_style or default_style
            paragraphs.append(model.Paragraph(
                text=self.text(article.text or "", path + ("text",)),
                items=self.items(article.items, style, self._levels(style, levels),
                                 path + ("items",))))
        for index, paragraph in enumerate(article.paragraphs):
            p_path = path + ("paragraphs", index)
            self.check_typed_number(paragraph.text, p_path + ("text",))
            style = paragraph.items_style or default_style
            paragraphs.append(model.Paragraph(
                text=self.text(paragraph.text, p_path + ("text",)),
                items=self.items(paragraph.items, style, self._levels(style, levels),
                                 p_path + ("items",))))
        key = article.id or f"article-{ordinal}"
        return model.Article(key=key, number=number, ordinal=ordinal, label=label,
                             citation=citation, title=article.title, paragraphs=tuple(paragraphs),
                             table=self.table(article.table, path + ("table",)),
                             note=article.note, has_stable_id=article.id is not None)

    @staticmethod
    def _levels(style: str, levels: tuple[str, ...]) -> tuple[str, ...]:
        """The chain of styles starting at `style` (a list styled 1. continues with (1))."""
        full = zh.ARTICLE_STYLE_LEVELS + tuple(s for s in zh.OUTLINE_STYLE_LEVELS
                                               if s not in zh.ARTICLE_STYLE_LEVELS)
        if style in levels:
            return levels
        if style in full:
            return full[full.index(style):]
        return (style,) + levels
