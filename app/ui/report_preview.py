"""The PDF of a checklist run or a whole case, previewed in the app, then saved, printed or opened.

    show_run_report(parent, workspace, run_id)            # one checklist record
    show_case_report(parent, workspace, case_reference)   # the whole case: every checklist and flag

Both read the records and make the PDF on a worker thread (`app.ui.workers.run_task`) while a
"Preparing the PDF…" notice offers Cancel, so the window never freezes; then a `ReportPreview` opens
beside the main window. The PDF only ever exists in memory until the person chooses what to do with it:

- Save as…: written whole or not at all (a temporary file in the chosen folder, flushed to disk, then
  renamed over the target), so a failure never leaves half a PDF behind;
- Print…: the system print dialog, each page drawn to fit the paper;
- Open in PDF viewer: a copy readable only by this user (0600, in a private 0700 folder), which the app
  deletes when it closes.

Cancelling a build discards the result when it arrives; nothing has been written anywhere by then.
Nothing here logs the contents of a report.
"""
from __future__ import annotations

import atexit
import datetime as dt
import errno
import logging
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMargins,
    QObject,
    QPointF,
    QRectF,
    QSize,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QIntValidator,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument, QPdfPageNavigator
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.files import write_whole
from app.ui import theme, workers
from app.ui.errors import show_error
from app.ui.marking import MarkingBar

log = logging.getLogger(__name__)

PREPARING = "Preparing the PDF…"
ZOOM_STEP = 1.25
ZOOM_MIN = 0.25
ZOOM_MAX = 4.0
PRINT_DPI_CAP = 300  # pages are drawn at no more than this, which prints sharply and keeps memory modest
_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


# ---------------------------------------------------------------------------------------------- the PDF


@dataclass(frozen=True)
class ReportFile:
    """A finished PDF held in memory: its bytes, a title for the window and a file name to suggest.

    `unprintable`: characters no font on this computer has; the PDF shows them as code points (and says
    so on its first page), and the preview says so beside the PDF.
    """

    data: bytes
    title: str
    file_name: str
    training: bool = False
    unprintable: tuple[str, ...] = ()


def safe_file_name(name: str) -> str:
    """`name` with characters no file system accepts replaced, so it can be offered as a file name."""
    cleaned = _UNSAFE_IN_NAMES.sub("-", name).strip(" .")
    return cleaned or "report.pdf"


def _file_name(parts: list[str], training: bool, today: dt.date) -> str:
    words = (["TRAINING"] if training else []) + parts + [today.isoformat()]
    return safe_file_name(" ".join(w for w in words if w) + ".pdf")


def make_run_report(workspace: Any, run_id: int) -> ReportFile:
    """Read one run and make its PDF (on a worker thread). Store errors propagate."""
    from app.documents import run_document  # reportlab is imported when the first PDF is made, off the GUI thread
    from app.report import make_run_pdf

    training = bool(workspace.training)
    doc = run_document(workspace.store, workspace.catalog, run_id, training=training)
    made = make_run_pdf(doc)
    return ReportFile(
        data=made.data,
        unprintable=made.unprintable,
        title=f"{doc.checklist_title}: {doc.case_reference} · {doc.child_name}",
        file_name=_file_name([doc.case_reference, doc.checklist_id, f"v{doc.version}"], training, workspace.today()),
        training=training,
    )


def make_case_report(workspace: Any, case_reference: str) -> ReportFile:
    """Read a whole case and make its PDF (on a worker thread). Store errors propagate."""
    from app.documents import case_document
    from app.report import make_case_pdf

    training = bool(workspace.training)
    doc = case_document(workspace.store, workspace.catalog, case_reference, training=training)
    made = make_case_pdf(doc)
    return ReportFile(
        data=made.data,
        unprintable=made.unprintable,
        title=f"Whole case: {doc.case_reference} · {doc.child_name}",
        file_name=_file_name([doc.case_reference, "whole case"], training, workspace.today()),
        training=training,
    )


# ------------------------------------------------------------------------------------------ files on disk


_private_lock = threading.Lock()
_private_dir: Path | None = None


def private_folder() -> Path:
    """This app run's private temporary folder (only this user can open it); made on first use and
    deleted, with everything in it, when the app closes."""
    global _private_dir
    with _private_lock:
        if _private_dir is None or not _private_dir.is_dir():
            _private_dir = Path(tempfile.mkdtemp(prefix="safeguarding-pdf-"))  # mode 0700
            os.chmod(_private_dir, 0o700)
            atexit.register(remove_private_copies)
            app = QCoreApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(remove_private_copies)
        return _private_dir


def write_private_copy(report: ReportFile) -> Path:
    """A copy of the PDF that only this user can read (0600), for the system's PDF viewer."""
    folder = private_folder()
    stem, suffix = os.path.splitext(report.file_name)
    for attempt in range(1, 100):
        path = folder / (report.file_name if attempt == 1 else f"{stem} ({attempt}){suffix}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(report.data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        os.chmod(path, 0o600)  # whatever the umask
        return path
    raise FileExistsError(errno.EEXIST, "Too many copies of this PDF are open already", str(folder))


def remove_private_copies() -> None:
    """Delete the private copies made for the PDF viewer (called when the app closes)."""
    global _private_dir
    with _private_lock:
        folder, _private_dir = _private_dir, None
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _save_failure_words(exc: OSError, folder: Path) -> str:
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = ("This folder cannot be written to, or a PDF with that name is open in another program. "
               "Choose another folder, such as Documents, or close the other program, and try again.")
    elif exc.errno == errno.ENOSPC:
        why = "The disk is full. Free some space, or choose another drive, and try again."
    elif exc.errno == errno.ENOENT:
        why = "The folder is no longer there (a memory stick or network drive may have been removed)."
    else:
        why = (f"The computer said: {exc.strerror or 'the file could not be written'}. Check the drive or "
               "folder is available and try again.")
    return f"The PDF could not be saved in {folder}. Nothing was written there.\n\n{why}"


# ---------------------------------------------------------------------------------------------- the preview


class ReportPreview(QDialog):
    """A PDF on screen: every page one under the other, fitted to the width; Save as…, Print…, Open."""

    saved = Signal(str)
    printed = Signal(int)
    opened_externally = Signal(str)

    def __init__(self, report: ReportFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.message_box: QMessageBox | None = None
        self.setObjectName("ReportPreview")
        self.setWindowTitle(f"PDF preview: {report.title}")
        self.setAccessibleName("PDF preview")
        self.setAccessibleDescription(report.title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setSizeGripEnabled(True)

        # The bytes stay in memory: QPdfDocument reads them through this buffer while the preview is open.
        self._bytes = QByteArray(report.data)
        self._buffer = QBuffer(self)
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)

        self._build()
        self.document.load(self._buffer)
        self._status_changed(self.document.status())
        self._size_to_screen()

    # -- building ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.marking = MarkingBar(self.report.training, self)
        outer.addWidget(self.marking)

        header = QFrame(self)
        header.setObjectName("PreviewHeader")
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(18, 10, 14, 10)
        header_layout.setSpacing(8)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title_label = QLabel(self.report.title)
        self.title_label.setProperty("role", "heading")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        titles.addWidget(self.title_label)
        self.file_label = QLabel(self.report.file_name)
        self.file_label.setProperty("role", "muted")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        titles.addWidget(self.file_label)
        header_layout.addLayout(titles, 1)

        self.zoom_out_button = self._tool("zoom-out", "Zoom out", "Zoom out (Ctrl+Minus)", self.zoom_out)
        header_layout.addWidget(self.zoom_out_button)
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("PreviewZoom")
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("Fit to width") + 12)
        self.zoom_label.setAccessibleName("Zoom")
        header_layout.addWidget(self.zoom_label)
        self.zoom_in_button = self._tool("zoom-in", "Zoom in", "Zoom in (Ctrl+Plus)", self.zoom_in)
        header_layout.addWidget(self.zoom_in_button)
        self.fit_button = self._tool("fit-width", "Fit to width", "Fit the pages to the width of the window (Ctrl+0)",
                                     self.fit_width)
        header_layout.addWidget(self.fit_button)
        header_layout.addSpacing(14)
        page_caption = QLabel("Page")
        header_layout.addWidget(page_caption)
        self.page_edit = QLineEdit("1")
        self.page_edit.setObjectName("PreviewPage")
        self.page_edit.setAccessibleName("Page number")
        self.page_edit.setToolTip("Type a page number and press Enter to go to it")
        self.page_edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_edit.setFixedWidth(self.fontMetrics().horizontalAdvance("0000") + 22)
        self.page_validator = QIntValidator(1, 1, self.page_edit)
        self.page_edit.setValidator(self.page_validator)
        self.page_edit.returnPressed.connect(self._page_typed)
        self.page_edit.editingFinished.connect(lambda: self._page_changed(self.navigator.currentPage()))
        page_caption.setBuddy(self.page_edit)
        header_layout.addWidget(self.page_edit)
        self.page_count_label = QLabel("of 1")
        header_layout.addWidget(self.page_count_label)
        outer.addWidget(header)

        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setObjectName("PreviewRule")
        outer.addWidget(rule)

        self.view = QPdfView(self)
        self.view.setObjectName("PdfView")
        self.view.setAccessibleName("PDF pages")
        self.view.setAccessibleDescription(self.report.title)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(18)
        self.view.setDocumentMargins(QMargins(28, 24, 28, 24))
        palette = self.view.palette()
        palette.setColor(QPalette.ColorRole.Dark, QColor("#6b7682"))  # the desk the pages lie on
        self.view.setPalette(palette)
        self.document = QPdfDocument(self)  # made after the view, so destroyed after it too
        self.document.statusChanged.connect(self._status_changed)
        self.view.setDocument(self.document)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.navigator: QPdfPageNavigator = self.view.pageNavigator()
        self.navigator.currentPageChanged.connect(self._page_changed)
        self.view.zoomModeChanged.connect(lambda _mode: self._show_zoom())
        self.view.zoomFactorChanged.connect(lambda _factor: self._show_zoom())
        outer.addWidget(self.view, 1)

        footer = QFrame(self)
        footer.setObjectName("PreviewFooter")
        footer_layout = QHBoxLayout(footer)
        footer_layout.setContentsMargins(18, 10, 14, 12)
        footer_layout.setSpacing(8)
        self.status_label = QLabel()
        self.status_label.setObjectName("PreviewStatus")
        self.status_label.setProperty("role", "muted")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        footer_layout.addWidget(self.status_label, 1)
        self.open_button = QPushButton(theme.icon("open"), "Open in PDF viewer")
        self.open_button.setAccessibleName("Open in your PDF viewer")
        self.open_button.setAccessibleDescription(
            "Opens a private copy in the computer's PDF program. The copy is deleted when you close this app.")
        self.open_button.setToolTip("Open a private copy in your PDF program; it is deleted when you close this app")
        self.open_button.clicked.connect(self.open_in_viewer)
        footer_layout.addWidget(self.open_button)
        self.print_button = QPushButton(theme.icon("print"), "Print…")
        self.print_button.setAccessibleName("Print the PDF")
        self.print_button.setToolTip("Choose a printer and print (Ctrl+P)")
        self.print_button.clicked.connect(self.print_report)
        footer_layout.addWidget(self.print_button)
        self.save_button = QPushButton(theme.icon("export", "#ffffff"), "Save as…")
        self.save_button.setProperty("primary", "true")
        self.save_button.setAccessibleName("Save the PDF as a file")
        self.save_button.setToolTip("Choose where to save the PDF (Ctrl+S)")
        self.save_button.clicked.connect(self.save_as)
        footer_layout.addWidget(self.save_button)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close the preview")
        self.close_button.setToolTip("Close the preview (Esc). Nothing is kept unless you saved it.")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        footer_layout.addWidget(self.close_button)
        outer.addWidget(footer)
        for button in (self.open_button, self.print_button, self.save_button):
            button.setAutoDefault(False)

        for keys, slot in ((QKeySequence.StandardKey.Save, self.save_as),
                           (QKeySequence.StandardKey.Print, self.print_report),
                           (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
                           ("Ctrl+=", self.zoom_in),
                           (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
                           ("Ctrl+0", self.fit_width)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        self.setStyleSheet(
            "#PreviewHeader, #PreviewFooter { background: %s; }"
            "#PreviewRule { color: %s; }" % (theme.COLOURS["panel"], theme.COLOURS["border_light"]))
        self._show_zoom()
        self.setFocusProxy(self.view)

    def _tool(self, icon: str, name: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton()
        button.setIcon(theme.icon(icon))
        button.setIconSize(QSize(20, 20))
        button.setAutoRaise(True)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _size_to_screen(self) -> None:
        screen = (self.parentWidget().screen() if self.parentWidget() is not None else None) \
            or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        width, height = 900, 1000
        if available is not None:
            width = min(width, int(available.width() * 0.9))
            height = min(height, int(available.height() * 0.9))
        self.resize(width, height)

    # -- state ---------------------------------------------------------------------------------------------
    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """The page being read, counting from 1."""
        return self.navigator.currentPage() + 1

    def page_text(self) -> str:
        return f"Page {self.current_page()} of {self.page_count()}"

    def _status_changed(self, status: QPdfDocument.Status) -> None:
        ready = status == QPdfDocument.Status.Ready
        for button in (self.save_button, self.print_button, self.open_button):
            button.setEnabled(bool(self.report.data))
        if ready:
            count = max(self.page_count(), 1)
            self.page_validator.setRange(1, count)
            self.page_count_label.setText(f"of {count}")
            self._page_changed(self.navigator.currentPage())
            pages = "1 page" if count == 1 else f"{count} pages"
            self.file_label.setText(f"{self.report.file_name} · {pages}")
            self.status_label.setText(unprintable_words(self.report.unprintable)
                                      + "Nothing is saved until you choose Save as…, Print… or Open in PDF viewer.")
        elif status == QPdfDocument.Status.Error:
            self.status_label.setText("The PDF was made but cannot be shown here. You can still save, print or open "
                                      "it in your PDF viewer.")

    def _page_changed(self, page: int) -> None:
        self.page_edit.setText(str(page + 1))
        self.page_edit.setAccessibleDescription(self.page_text())

    def _page_typed(self) -> None:
        text = self.page_edit.text().strip()
        if text.isdigit():
            self.go_to_page(int(text))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def go_to_page(self, number: int) -> None:
        """Scroll to page `number` (counting from 1)."""
        page = min(max(number, 1), max(self.page_count(), 1)) - 1
        if page != self.navigator.currentPage():
            self.navigator.jump(page, QPointF(), self.navigator.currentZoom())

    def _effective_zoom(self) -> float:
        """The zoom factor on screen now, also when the pages are fitted to the width."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.page_count() == 0:
            return self.view.zoomFactor()
        margins = self.view.documentMargins()
        room = self.view.viewport().width() - margins.left() - margins.right()
        widest = max(self.document.pagePointSize(i).width() for i in range(self.page_count()))
        page_pixels = widest / 72 * self.view.logicalDpiX()
        return room / page_pixels if page_pixels > 0 else 1.0

    def _set_zoom(self, factor: float) -> None:
        factor = min(max(factor, ZOOM_MIN), ZOOM_MAX)
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        self._show_zoom()

    def zoom_in(self) -> None:
        self._set_zoom(self._effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self._effective_zoom() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._show_zoom()

    def _show_zoom(self) -> None:
        fitted = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        text = "Fit to width" if fitted else f"{round(self.view.zoomFactor() * 100)}%"
        self.zoom_label.setText(text)
        self.zoom_label.setAccessibleDescription(text)
        self.fit_button.setEnabled(not fitted)
        factor = self._effective_zoom() if hasattr(self, "view") else 1.0
        self.zoom_in_button.setEnabled(factor < ZOOM_MAX - 1e-6)
        self.zoom_out_button.setEnabled(factor > ZOOM_MIN + 1e-6)

    def _tell(self, title: str, message: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("ReportMessage")
        box.setIcon(icon)
        box.setWindowTitle(title)
        box.setText(f"<b>{_escape(title)}</b>")
        box.setInformativeText(_escape(message).replace("\n", "<br>"))
        box.setAccessibleName(title)
        box.setAccessibleDescription(message)
        box.addButton(QMessageBox.StandardButton.Close)
        box.open()
        self.message_box = box
        return box

    # -- Save as… ------------------------------------------------------------------------------------------
    def suggested_path(self) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        return str(Path(folder) / self.report.file_name)

    def save_as(self) -> Path | None:
        """Ask where to save (the system's dialog), then write the PDF there whole or not at all."""
        chosen, _filter = QFileDialog.getSaveFileName(self, "Save the PDF", self.suggested_path(),
                                                      "PDF files (*.pdf)")
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return self.save_to(path)

    def save_to(self, path: str | os.PathLike[str]) -> Path | None:
        target = Path(path)
        try:
            saved = write_whole(target, self.report.data)
        except OSError as exc:
            log.warning("A PDF was not saved: %s", type(exc).__name__)
            self.status_label.setText("The PDF was not saved.")
            self._tell("The PDF was not saved", _save_failure_words(exc, target.parent))
            return None
        self.status_label.setText(f"Saved to {saved}")
        self.saved.emit(str(saved))
        return saved

    # -- Print… --------------------------------------------------------------------------------------------
    def print_report(self) -> int:
        """Show the system print dialog and print the chosen pages; returns how many pages were printed."""
        count = self.page_count()
        if count == 0:
            self._tell("The PDF cannot be printed from here",
                       "The pages could not be read for printing. Use Open in PDF viewer and print from there.")
            return 0
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(Path(self.report.file_name).stem)
        printer.setFullPage(True)  # the PDF carries its own margins
        printer.setFromTo(1, count)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the PDF")
        dialog.setMinMax(1, count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        return self.print_to(printer)

    def pages_to_print(self, printer: QPrinter) -> list[int]:
        """The page indexes (from 0) the printer settings ask for."""
        count = self.page_count()
        if printer.printRange() == QPrinter.PrintRange.CurrentPage:
            return [self.navigator.currentPage()]
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(printer.fromPage(), 1)
            last = min(printer.toPage() or count, count)
            return list(range(first - 1, last))
        return list(range(count))

    def print_to(self, printer: QPrinter) -> int:
        """Draw each chosen page on `printer`, scaled to fit the paper. Returns the number of pages printed."""
        pages = self.pages_to_print(printer)
        if not pages:
            return 0
        painter = QPainter()
        if not painter.begin(printer):
            self._tell("The PDF was not printed",
                       "The printer could not be started. Check it is switched on and connected, or choose another "
                       "printer, and try again.")
            return 0
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        printed = 0
        try:
            paper = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            dpi = min(printer.resolution(), PRINT_DPI_CAP)
            for index, page in enumerate(pages):
                if index and not printer.newPage():
                    break
                self.status_label.setText(f"Printing page {index + 1} of {len(pages)}…")
                points = self.document.pagePointSize(page)
                if points.width() <= 0 or points.height() <= 0:
                    continue
                scale = min(paper.width() / points.width(), paper.height() / points.height())
                width, height = points.width() * scale, points.height() * scale
                target = QRectF(paper.left() + (paper.width() - width) / 2, paper.top(), width, height)
                image = self.document.render(page, QSize(round(points.width() / 72 * dpi),
                                                         round(points.height() / 72 * dpi)))
                painter.fillRect(target, Qt.GlobalColor.white)
                painter.drawImage(target, image)
                printed += 1
        finally:
            painter.end()
            QApplication.restoreOverrideCursor()
        pages_words = "1 page" if printed == 1 else f"{printed} pages"
        self.status_label.setText(f"Sent {pages_words} to {printer.printerName() or printer.outputFileName()}.")
        self.printed.emit(printed)
        return printed

    # -- Open in PDF viewer --------------------------------------------------------------------------------
    def open_in_viewer(self) -> Path | None:
        """Write a private copy (readable only by this user) and open it in the system's PDF program."""
        try:
            path = write_private_copy(self.report)
        except OSError as exc:
            log.warning("A private PDF copy was not written: %s", type(exc).__name__)
            self._tell("The PDF could not be opened",
                       "A private copy for your PDF viewer could not be written in the computer's temporary "
                       f"folder ({exc.strerror or 'the file could not be written'}). Use Save as… instead.")
            return None
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self._tell("No PDF viewer was found",
                       "This computer has no program set up to open PDF files. Use Save as… to keep a copy, or "
                       "Print… to print it from here.")
            return None
        self.status_label.setText("Opened in your PDF viewer. That copy is private to you and is deleted when you "
                                  "close this app; use Save as… to keep one.")
        self.opened_externally.emit(str(path))
        return path


# ------------------------------------------------------------------------------------------ building it


class ReportJob(QObject):
    """One PDF being made on a worker thread for `parent`, with a busy notice that offers Cancel.

    Child of the widget that asked, so if that widget goes away the job goes too and a late result is
    dropped. Emits `ready(preview)` when the preview is shown, `failed(exception)` when it could not be made.
    """

    ready = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QWidget, fn: Callable[..., ReportFile], *args: Any) -> None:
        super().__init__(parent)
        self.setObjectName("ReportJob")
        self.widget = parent
        self.fn = fn
        self.args = args
        self.running = False
        self.cancelled = False
        self.preview: ReportPreview | None = None
        self.message_box: QMessageBox | None = None
        self.busy = QProgressDialog(PREPARING, "Cancel", 0, 0, parent.window())
        self.busy.setObjectName("PreparingPdf")
        self.busy.setWindowTitle("PDF")
        self.busy.setAccessibleName(PREPARING)
        self.busy.setWindowModality(Qt.WindowModality.WindowModal)
        self.busy.setAutoClose(False)
        self.busy.setAutoReset(False)
        self.busy.canceled.connect(self.cancel)
        self.busy.rejected.connect(self.cancel)  # Escape
        parent.destroyed.connect(self.busy.deleteLater)  # never leave the notice behind a closed view
        self.task: workers.Task | None = None

    def start(self) -> "ReportJob":
        self.running = True
        QTimer.singleShot(300, self, self._show_busy)  # a quick PDF opens without a flicker of the notice
        self.task = workers.run_task(self.fn, *self.args, on_done=self._done, on_error=self._failed)
        return self

    def cancel(self) -> None:
        """Stop waiting: the PDF being made is thrown away when it is ready (nothing is written anywhere)."""
        if not self.running:
            return
        self.cancelled = True
        self.running = False
        self._close_busy()
        self.deleteLater()

    def _show_busy(self) -> None:
        if self.running and shiboken6.isValid(self.busy):
            self.busy.show()

    def _close_busy(self) -> None:
        if shiboken6.isValid(self.busy):
            self.busy.canceled.disconnect(self.cancel)
            self.busy.rejected.disconnect(self.cancel)
            self.busy.reset()
            self.busy.close()
            self.busy.deleteLater()

    def _usable(self) -> bool:
        return shiboken6.isValid(self) and not self.cancelled and shiboken6.isValid(self.widget)

    def _done(self, report: ReportFile) -> None:
        if not self._usable():
            return
        self.running = False
        self._close_busy()
        preview = ReportPreview(report, self.widget.window())
        self.preview = preview
        preview.show()
        preview.raise_()
        preview.activateWindow()
        self.ready.emit(preview)
        self.deleteLater()

    def _failed(self, exc: BaseException) -> None:
        if not self._usable():
            return
        self.running = False
        self._close_busy()
        self.message_box = explain_failure(self.widget, exc)
        self.failed.emit(exc)
        self.deleteLater()


def explain_failure(parent: QWidget, exc: BaseException) -> QMessageBox:
    """Say in plain words why the PDF was not made."""
    return show_error(parent, exc, "The PDF was not made.")


def unprintable_words(characters: tuple[str, ...]) -> str:
    """What the preview says when the PDF shows some characters as code points ("" when it shows all)."""
    if not characters:
        return ""
    named = "; ".join(f"{c} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed character').title()})"
                      for c in characters[:8])
    more = f" and {len(characters) - 8} more" if len(characters) > 8 else ""
    return (f"No font on this computer has {named}{more}: the PDF shows "
            f"{'it' if len(characters) == 1 else 'them'} as code points, as its first page explains. "
            "The record holds the text as typed. ")


def _start(parent: QWidget, fn: Callable[..., ReportFile], *args: Any) -> ReportJob:
    for job in parent.findChildren(ReportJob):
        if job.running:  # one at a time: pressing Ctrl+P twice does not make two PDFs
            return job
    return ReportJob(parent, fn, *args).start()


def show_run_report(parent: QWidget, workspace: Any, run_id: int) -> ReportJob:
    """Make the PDF of one checklist run off the screen's thread, then preview it. Returns the job."""
    return _start(parent, make_run_report, workspace, int(run_id))


def show_case_report(parent: QWidget, workspace: Any, case_reference: str) -> ReportJob:
    """Make the whole-case PDF off the screen's thread, then preview it. Returns the job."""
    return _start(parent, make_case_report, workspace, str(case_reference))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = [
    "ReportPreview", "ReportFile", "ReportJob", "show_run_report", "show_case_report", "make_run_report",
    "make_case_report", "write_whole", "write_private_copy", "remove_private_copies", "explain_failure", "PREPARING",
]
