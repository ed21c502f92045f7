"""The PDF preview: made off the screen's thread, shown in the app, then saved, printed or opened.

Every test starts where a person would (the case page, a walk-through), presses the button or Ctrl+P,
waits for the worker without blocking the window, and checks what reached the screen or the disk.
"""
from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton

from app.ui import report_preview, workers
from app.ui.cases.case_page import CasePage
from app.ui.marking import TRAINING_TEXT
from app.ui.report_preview import PREPARING, ReportJob, ReportPreview, remove_private_copies
from conftest import CASE_BORN, TODAY, case_id, iso
from test_review_flow import make_page, open_row, submitted_run
from test_review_flow import clock, review_catalog, review_ws  # noqa: F401  (fixtures)

PDF_TIMEOUT = 20000


@pytest.fixture(autouse=True)
def _private_copies_removed():
    yield
    remove_private_copies()


def wait_for_preview(qtbot, owner) -> ReportPreview:
    """After the button or key: the PDF is being made on a worker, the window is free; then the preview."""
    jobs = [job for job in owner.findChildren(ReportJob) if job.running]
    assert len(jobs) == 1, "pressing PDF… started no job"
    job = jobs[0]
    assert workers.running() >= 1
    assert owner.window().findChild(ReportPreview) is None  # not made on the screen's thread
    assert job.busy.labelText() == PREPARING
    with qtbot.waitSignal(job.ready, timeout=PDF_TIMEOUT) as ready:
        pass
    preview = ready.args[0]
    assert isinstance(preview, ReportPreview)
    qtbot.waitUntil(lambda: preview.document.status() == QPdfDocument.Status.Ready, timeout=PDF_TIMEOUT)
    assert preview.page_count() > 0
    assert preview.isVisible()
    return preview


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def open_case_page(qtbot, window, ws) -> CasePage:
    page = window.open_case(case_id(ws, CASE_BORN))
    assert page is not None
    qtbot.waitExposed(page)
    return page


def preview_from_case_page(qtbot, window, ws) -> ReportPreview:
    ws.start_run(case_id(ws, CASE_BORN), "non-mobile-bruising")
    page = open_case_page(qtbot, window, ws)
    page.refresh()
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    return wait_for_preview(qtbot, page)


# -- opening ----------------------------------------------------------------------------------------------


def test_case_page_pdf_button_previews_the_whole_case_without_blocking(qtbot, window, ws):
    preview = preview_from_case_page(qtbot, window, ws)
    assert preview.report.file_name == f"{CASE_BORN} whole case {TODAY.isoformat()}.pdf"
    assert preview.page_text() == f"Page 1 of {preview.page_count()}"
    assert preview.page_count_label.text() == f"of {preview.page_count()}"
    assert not preview.marking.training
    assert "Baby K" in pdf_text(preview.report.data)
    assert preview.view.zoomMode() == preview.view.ZoomMode.FitToWidth


def test_ctrl_p_on_the_case_page_previews_the_case(qtbot, window, ws):
    page = open_case_page(qtbot, window, ws)
    qtbot.keyClick(page.runs_table if page.runs_table.isVisible() else page.start_button, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier)
    preview = wait_for_preview(qtbot, page)
    assert CASE_BORN in preview.windowTitle()


def test_read_only_walkthrough_offers_the_pdf_and_ctrl_p_opens_it(qtbot, window, ws):
    run_id = ws.start_run(case_id(ws, CASE_BORN), "was-not-brought")
    ws.store.submit(run_id, by=ws.profile["name"])
    view = window.open_run(run_id)
    qtbot.waitExposed(view)
    assert not view.editable
    assert view.pdf_button.isVisible()
    assert view.pdf_button.accessibleName().startswith("PDF of this checklist")
    view.step_list.setFocus()
    qtbot.keyClick(view.step_list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    preview = wait_for_preview(qtbot, view)
    assert preview.report.file_name == f"{CASE_BORN} was-not-brought v1 {TODAY.isoformat()}.pdf"
    assert "Submitted, awaiting review" in pdf_text(preview.report.data)


def test_editable_walkthrough_offers_the_pdf_on_the_check_and_submit_page(qtbot, window, ws):
    run_id = ws.start_run(case_id(ws, CASE_BORN), "non-mobile-bruising")
    view = window.open_run(run_id)
    qtbot.waitExposed(view)
    assert view.editable and not view.pdf_button.isVisible()
    qtbot.keyClick(view.step_list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert view.findChild(ReportJob) is None
    assert "Check and submit" in view.status.text()
    view.go_to_step(view.summary_index)
    assert view.pdf_button.isVisible()
    qtbot.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    preview = wait_for_preview(qtbot, view)
    assert "Draft: not yet submitted" in pdf_text(preview.report.data)


def test_review_view_pdf_button_and_ctrl_p_preview_the_run_under_review(qtbot, review_ws):
    run_id = submitted_run(review_ws)
    page = make_page(qtbot, review_ws)
    open_row(qtbot, page, "WV-0001")
    review = page.review
    assert review.pdf_button.isEnabled()
    qtbot.mouseClick(review.pdf_button, Qt.MouseButton.LeftButton)
    preview = wait_for_preview(qtbot, review)
    qtbot.addWidget(preview)
    assert preview.report.file_name == f"WV-0001 non-mobile-bruising v1 {TODAY.isoformat()}.pdf"
    assert "Submitted, awaiting review" in pdf_text(preview.report.data)
    preview.close()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    review.scroll.setFocus()
    qtbot.keyClick(review.scroll, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    again = wait_for_preview(qtbot, review)
    qtbot.addWidget(again)
    assert again.report.data.startswith(b"%PDF") and run_id == review.run_id


def test_cancelling_drops_the_pdf_and_opens_nothing(qtbot, window, ws):
    page = open_case_page(qtbot, window, ws)
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    job = page.findChild(ReportJob)
    assert job is not None and job.running
    job._show_busy()  # as it is after a moment
    qtbot.waitExposed(job.busy)
    qtbot.mouseClick(job.busy.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Cancel
    assert not job.busy.isVisible()
    qtbot.waitUntil(lambda: workers.running() == 0, timeout=PDF_TIMEOUT)
    qtbot.wait(50)
    assert window.findChild(ReportPreview) is None


def test_escape_on_the_notice_cancels_too(qtbot, window, ws):
    page = open_case_page(qtbot, window, ws)
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    job = page.findChild(ReportJob)
    job._show_busy()
    qtbot.waitExposed(job.busy)
    qtbot.keyClick(job.busy, Qt.Key.Key_Escape)
    assert job.cancelled
    qtbot.waitUntil(lambda: workers.running() == 0, timeout=PDF_TIMEOUT)
    qtbot.wait(50)
    assert window.findChild(ReportPreview) is None


def test_a_name_no_font_has_still_makes_the_pdf_and_the_preview_names_it(qtbot, window, ws, shipped_fonts_only):
    glyph = "\U00013000"  # Egyptian hieroglyph A001: no font shipped with the app has it
    new_case = ws.create_case({"reference": "HV-1003", "child_name": f"Baby {glyph}", "date_of_birth": iso(-30),
                               "household": [], "agencies": []})
    ws.start_run(new_case, "non-mobile-bruising")
    page = window.open_case(new_case)
    qtbot.waitExposed(page)
    page.refresh()
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    preview = wait_for_preview(qtbot, page)
    assert not [b for b in page.findChildren(QMessageBox) if b.isVisible()]
    assert preview.report.unprintable == (glyph,)
    status = preview.status_label.text()
    assert f"No font on this computer has {glyph} (U+13000 Egyptian Hieroglyph A001)" in status
    assert "Nothing is saved until you choose" in status
    text = " ".join(pdf_text(preview.report.data).split())
    assert "Baby [characters not shown: U+13000]" in text
    assert "U+13000 EGYPTIAN HIEROGLYPH A001" in text


# -- zoom and pages ------------------------------------------------------------------------------------------


def test_zoom_and_page_controls(qtbot, window, ws):
    preview = preview_from_case_page(qtbot, window, ws)
    qtbot.mouseClick(preview.zoom_in_button, Qt.MouseButton.LeftButton)
    assert preview.view.zoomMode() == preview.view.ZoomMode.Custom
    zoomed = preview.view.zoomFactor()
    assert preview.zoom_label.text() == f"{round(zoomed * 100)}%"
    qtbot.mouseClick(preview.zoom_out_button, Qt.MouseButton.LeftButton)
    assert preview.view.zoomFactor() < zoomed
    qtbot.keyClick(preview.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomMode() == preview.view.ZoomMode.FitToWidth
    assert preview.zoom_label.text() == "Fit to width"
    last = preview.page_count()
    preview.page_edit.selectAll()
    qtbot.keyClicks(preview.page_edit, str(last))
    qtbot.keyClick(preview.page_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: preview.current_page() == last)
    assert preview.page_text() == f"Page {last} of {last}"
    assert preview.page_edit.text() == str(last)
    with qtbot.waitSignal(preview.destroyed):  # closing frees the document and view cleanly
        qtbot.mouseClick(preview.close_button, Qt.MouseButton.LeftButton)


# -- Save as… ------------------------------------------------------------------------------------------------


def test_save_as_writes_the_whole_pdf_where_chosen(qtbot, window, ws, tmp_path, monkeypatch):
    preview = preview_from_case_page(qtbot, window, ws)
    folder = tmp_path / "out"
    folder.mkdir()
    asked = {}

    def choose(parent, caption, suggested, kinds):
        asked.update(caption=caption, suggested=suggested, kinds=kinds)
        return str(folder / "for the strategy meeting"), kinds

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    assert Path(asked["suggested"]).name == f"{CASE_BORN} whole case {TODAY.isoformat()}.pdf"
    saved = folder / "for the strategy meeting.pdf"
    assert sorted(p.name for p in folder.iterdir()) == [saved.name]
    data = saved.read_bytes()
    assert data.startswith(b"%PDF")
    assert data == preview.report.data
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == preview.page_count()
    assert preview.status_label.text() == f"Saved to {saved}"


def test_save_failure_is_explained_and_leaves_no_partial_file(qtbot, window, ws, tmp_path, monkeypatch):
    preview = preview_from_case_page(qtbot, window, ws)
    folder = tmp_path / "read-only"
    folder.mkdir()
    (folder / "earlier.pdf").write_bytes(b"%PDF-1.4 earlier copy")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(folder / "earlier.pdf"), "PDF files (*.pdf)")))

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(report_preview.os, "replace", refuse)  # tests run as root: chmod would not stop us
    qtbot.keyClick(preview.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    box = preview.message_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "The PDF was not saved"
    assert f"could not be saved in {folder}" in box.informativeText()
    assert "cannot be written to" in box.informativeText()
    assert [p.name for p in folder.iterdir()] == ["earlier.pdf"]  # no temporary file left behind
    assert (folder / "earlier.pdf").read_bytes() == b"%PDF-1.4 earlier copy"
    assert preview.status_label.text() == "The PDF was not saved."


# -- Open in PDF viewer --------------------------------------------------------------------------------------


def test_open_in_viewer_hands_over_a_private_copy_deleted_on_exit(qtbot, window, ws, monkeypatch):
    preview = preview_from_case_page(qtbot, window, ws)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    qtbot.mouseClick(preview.open_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    url = opened[0]
    assert url.scheme() == "file"
    path = Path(url.toLocalFile())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert path.read_bytes() == preview.report.data
    assert path.name == preview.report.file_name
    assert "deleted when you close this app" in preview.status_label.text()
    remove_private_copies()  # what the app does on quit (connected to aboutToQuit)
    assert not path.exists() and not path.parent.exists()


def test_open_in_viewer_without_a_pdf_program_says_so(qtbot, window, ws, monkeypatch):
    preview = preview_from_case_page(qtbot, window, ws)
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    qtbot.mouseClick(preview.open_button, Qt.MouseButton.LeftButton)
    assert preview.message_box is not None and preview.message_box.windowTitle() == "No PDF viewer was found"


# -- Print… --------------------------------------------------------------------------------------------------


class AcceptingPrintDialog:
    """Stands in for the system print dialog: the person picks 'print to file' and presses Print."""

    output: Path
    pages: tuple[int, int] | None = None

    def __init__(self, printer: QPrinter, parent=None) -> None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.output))
        if self.pages:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*self.pages)

    def setWindowTitle(self, title: str) -> None:  # noqa: N802 (Qt name)
        pass

    def setMinMax(self, low: int, high: int) -> None:  # noqa: N802 (Qt name)
        pass

    def setOption(self, option, on: bool = True) -> None:  # noqa: N802 (Qt name)
        pass

    def exec(self) -> QDialog.DialogCode:
        return QDialog.DialogCode.Accepted


def test_print_sends_every_page_to_the_printer(qtbot, window, ws, tmp_path, monkeypatch):
    preview = preview_from_case_page(qtbot, window, ws)
    AcceptingPrintDialog.output = tmp_path / "printed.pdf"
    AcceptingPrintDialog.pages = None
    monkeypatch.setattr(report_preview, "QPrintDialog", AcceptingPrintDialog)
    with qtbot.waitSignal(preview.printed) as printed:
        qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert printed.args == [preview.page_count()]
    data = AcceptingPrintDialog.output.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == preview.page_count()


def test_print_honours_a_page_range(qtbot, window, ws, tmp_path, monkeypatch):
    preview = preview_from_case_page(qtbot, window, ws)
    assert preview.page_count() >= 2
    AcceptingPrintDialog.output = tmp_path / "page-two.pdf"
    AcceptingPrintDialog.pages = (2, 2)
    monkeypatch.setattr(report_preview, "QPrintDialog", AcceptingPrintDialog)
    qtbot.keyClick(preview.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(pypdf.PdfReader(AcceptingPrintDialog.output).pages) == 1


# -- training ------------------------------------------------------------------------------------------------


def test_training_workspace_preview_is_marked_training(qtbot, training_ws):
    page = CasePage(training_ws, case_id(training_ws, CASE_BORN))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    preview = wait_for_preview(qtbot, page)
    qtbot.addWidget(preview)
    assert preview.marking.training
    assert preview.marking.training_label.isVisible()
    assert TRAINING_TEXT in preview.marking.text()
    assert preview.report.file_name.startswith("TRAINING ")
    assert "TRAINING" in pdf_text(preview.report.data)
