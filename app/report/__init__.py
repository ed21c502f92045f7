"""PDF reports: plain data in (`app.report.inputs`), PDF bytes out. The only package that imports reportlab."""
from app.report.builders import MadePdf, build_case_pdf, build_run_pdf, make_case_pdf, make_run_pdf
from app.report.inputs import (
    AnswerLine,
    CaseDocument,
    FlagLine,
    FlagResponseLine,
    ReviewLine,
    RunDocument,
    SectionBlock,
    SourceLine,
)

__all__ = [
    "build_run_pdf", "build_case_pdf", "make_run_pdf", "make_case_pdf", "MadePdf", "RunDocument", "CaseDocument",
    "FlagLine", "FlagResponseLine", "SectionBlock", "AnswerLine", "SourceLine", "ReviewLine",
]
