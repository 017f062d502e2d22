"""The forms output of a build: each form blank, as Word and as a fillable PDF."""

from __future__ import annotations

from . import build_cache
from .build_cache import content_key
from .export import to_data
from .model import Form, Project
from .outputs import code_version, form_paths
from .render import forms_docx, forms_pdf
from .target import Target


class FormsTarget(Target):
    """forms/<id>.docx and forms/<id>.pdf: each form blank, as Word and as a fillable PDF."""

    name = "forms"

    @classmethod
    def steps(cls, project: Project) -> int:
        """Two steps per form."""
        return 2 * len(project.forms)

    def key(self, base: str, form: Form) -> str:
        """What a form's Word file is made from: base (the code, the Word template, the
        names shown), the form's data and its footnote. Its PDF's key adds "pdf"."""
        from .render.form_layout import footnote

        return content_key(base, to_data(form), build_cache.form_names(self.job.project, form),
                           footnote(self.job.project, form))

    def render(self) -> None:
        """Render the forms whose keys changed; without a font, the PDFs are skipped."""
        job, result = self.job, self.job.result
        template = forms_docx.template_for(job.root)
        base = content_key(code_version(), template.read_bytes(), job.company)
        pending = []  # forms whose PDF is made again, with their paths
        for form in job.project.forms:
            paths = form_paths(job.staging, form.id)
            key = self.key(base, form)
            if not job.cache.reuse(f"forms/{form.id}.docx", key):
                forms_docx.render(job.project, form, template, paths["docx"])
            result.written.append(paths["docx"])
            job.progress.advance(paths["docx"].name)
            if job.cache.reuse(f"forms/{form.id}.pdf", content_key(key, "pdf")):
                result.written.append(paths["pdf"])
                job.progress.advance(paths["pdf"].name)
            else:
                pending.append((form, paths["pdf"]))
        self._render_pdfs(pending)

    def _render_pdfs(self, pending: list) -> None:
        """The fillable PDFs of the forms given, with one font made for this build."""
        job, result = self.job, self.job.result
        try:
            font = forms_pdf.font_for(job.project, [form for form, _ in pending]) \
                if pending else None
        except forms_pdf.FontMissing as exc:
            for form, path in pending:
                job.cache.forget(f"forms/{form.id}.pdf")
                job.progress.advance(path.name)
            result.notices.append(str(exc))
            return
        if font is not None and font.notice:
            result.notices.append(font.notice)
        for form, path in pending:
            result.written.append(forms_pdf.render(job.project, form, path, font=font))
            job.progress.advance(path.name)
