"""The two PDFs: one checklist run, and a whole case (every run, opening with all flags over time)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from app.report.blocks import (
    WIDTH,
    UnprintableNotice,
    Writer,
    grid,
    label_grid,
    plain_paragraph,
    run_story,
    severity_band,
)
from app.report.inputs import SEVERITY_ORDER, CaseDocument, FlagLine, RunDocument
from app.report.page import MARKING, PageInfo, render_pdf
from app.report.styles import NAVY, PANEL, SEVERITY
from app.report.text import long_date, render

SUBJECT = f"Safeguarding practice checklist record ({MARKING})"


@dataclass(frozen=True)
class MadePdf:
    """A finished PDF and what the person making it should know about it.

    `unprintable`: characters that no font on this computer has, each once; the PDF shows them as
    their code points ("[characters not shown: U+674E]") and says so near the top of its first page.
    """

    data: bytes
    unprintable: tuple[str, ...] = ()


def build_run_pdf(doc: RunDocument, printed_at: datetime | None = None) -> bytes:
    """The A4 PDF of one checklist run. Always made: see `make_run_pdf` for characters no font has."""
    return make_run_pdf(doc, printed_at).data


def build_case_pdf(doc: CaseDocument, printed_at: datetime | None = None) -> bytes:
    """The A4 PDF of a whole case: the flags across every run over time, then each run in full."""
    return make_case_pdf(doc, printed_at).data


def make_run_pdf(doc: RunDocument, printed_at: datetime | None = None) -> MadePdf:
    """`build_run_pdf`, also saying which characters no font could print."""
    w = Writer()
    story = run_story(w, doc)
    info = page_info(w, _running_title(doc.case_reference, doc.child_name), printed_at, doc.training)
    data = render_pdf(story, info, title=f"{doc.checklist_title}: case {doc.case_reference}",
                      author=doc.practitioner_name, subject=SUBJECT)
    return MadePdf(data, tuple(dict.fromkeys(w.unprintable)))


def make_case_pdf(doc: CaseDocument, printed_at: datetime | None = None) -> MadePdf:
    """`build_case_pdf`, also saying which characters no font could print."""
    w = Writer()
    story = _case_opening(w, doc)
    for run in doc.runs:
        story += [PageBreak(), *run_story(w, run, kicker=f"Checklist record, started {long_date(run.started_at)}",
                                          notice=False)]
    info = page_info(w, _running_title(doc.case_reference, doc.child_name), printed_at, doc.training)
    authors = "; ".join(dict.fromkeys(run.practitioner_name for run in doc.runs if run.practitioner_name))
    data = render_pdf(story, info, title=f"Whole-case record: case {doc.case_reference}",
                      author=authors, subject=SUBJECT)
    return MadePdf(data, tuple(dict.fromkeys(w.unprintable)))


def _running_title(case_reference: str, child_name: str) -> str:
    return f"Case {case_reference}" + (f" \u00b7 {child_name}" if child_name else "")


def page_info(w: Writer, running_title: str, printed_at: datetime | None, training: bool) -> PageInfo:
    """The page furniture, with the running title printed like any recorded text."""
    paragraph = w.para(running_title, w.st.footer)
    plain = running_title if render(running_title).plain else ""
    return PageInfo(paragraph, printed_at or datetime.now(), training, plain)


def _case_opening(w: Writer, doc: CaseDocument) -> list[Flowable]:
    st = w.st
    runs = list(doc.runs)
    born = (("Date of birth", long_date(doc.date_of_birth)) if doc.date_of_birth or not doc.expected_delivery_date
            else ("Expected delivery date", long_date(doc.expected_delivery_date)))
    span = (f"{long_date(min(r.started_at for r in runs))} to {long_date(max(r.updated_at for r in runs))}"
            if runs else "None")
    pairs = [("Case reference", doc.case_reference), ("Child", doc.child_name or "Not recorded"),
             born, ("Checklists", str(len(runs))), ("Period", span),
             ("Flags raised", str(len(doc.cumulative_flags)))]
    out: list[Flowable] = [
        plain_paragraph("WHOLE-CASE RECORD", st.label),
        w.para(doc.child_name or doc.case_reference, st.title),
        plain_paragraph("Every checklist completed for this case, in one record.", st.subtitle),
        label_grid(w, pairs),
        UnprintableNotice(w),
        plain_paragraph("Flags across all checklists, over time", st.h1),
    ]
    flags = sorted(doc.cumulative_flags, key=_time_then_severity)
    if not flags:
        out.append(plain_paragraph("No checklist for this case raised a flag.", st.body))
        return out
    out.append(plain_paragraph("Oldest first. Look for concerns that repeat or grow across checklists: "
                         "cumulative harm can be missed when each contact is seen alone.", st.small))
    out.append(Spacer(1, 4))
    out.append(_flag_timeline(w, flags))
    return out


def _time_then_severity(flag: FlagLine) -> tuple:
    return (flag.raised_at or datetime.min, SEVERITY_ORDER.index(flag.severity))


def _flag_timeline(w: Writer, flags: list[FlagLine]) -> Table:
    st = w.st
    head = [plain_paragraph(label, st.label) for label in ("Date", "Checklist", "Severity", "Flag and recommended action")]
    rows = [head]
    extra = [("BACKGROUND", (0, 0), (-1, 0), PANEL), ("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY)]
    for i, flag in enumerate(flags, start=1):
        response = "Response recorded." if flag.response and (
            flag.response.action_taken or flag.response.reason_not_acting) else "No response recorded."
        rows.append([
            plain_paragraph(long_date(flag.raised_at.date() if flag.raised_at else None), st.cell),
            w.para(flag.checklist_title or "Not recorded", st.cell),
            severity_band(w, flag.severity),
            [w.para(flag.message, st.cell_bold), w.para(flag.action, st.cell, lead="Action: "),
             plain_paragraph(response, st.small)],
        ])
        extra.append(("BACKGROUND", (2, i), (2, i), SEVERITY[flag.severity].colour))
        extra.append(("VALIGN", (2, i), (2, i), "MIDDLE"))
    widths = [24 * mm, 40 * mm, 27 * mm, WIDTH - 91 * mm]
    return grid(rows, widths, extra)

