"""Add or change a case: the child, the plan, who is in the household and which agencies are involved.

Problems are shown beside the field they are about, and nothing typed is lost: the dialog stays open
until the case is saved through `ws.create_case` / `ws.update_case`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.case_facts import MALE_CARERS, MOBILITY, PLANS, RELATIONSHIPS
from app.services import ServiceError
from app.store.errors import DuplicateCase, InvalidRecord, StoreError
from app.ui import theme
from app.ui.cases import words
from app.ui.errors import show_error
from app.ui.marking import MarkingBar

DATE_HINT = "day/month/year, e.g. 05/03/2026"
INVISIBLE_MEN_NOTE = (
    "Reviews of serious harm to babies keep finding that fathers, mothers' partners and other men "
    "caring for the baby were not known about, not seen or not assessed. Record every man who lives "
    "in the home, stays there or looks after the child, even if only sometimes."
)
NO_MEN_NOTE = (
    "No father, partner or male carer is recorded yet. If there is one, add him here; if the father "
    "is not known or not involved, say so in the checklist."
)
_MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def parse_uk_date(text: str) -> dt.date | None:
    """A date typed as 05/03/2026, 5-3-26, 5 Mar 2026, 5 March 2026 or 2026-03-05; None if not a date."""
    text = text.strip().lower()
    if not text:
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    numeric = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})", text)
    named = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+),? (\d{4})", text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if numeric:
            year = int(numeric[3])
            if len(numeric[3]) == 2:
                year += 2000 if year <= dt.date.today().year % 100 + 1 else 1900
            return dt.date(year, int(numeric[2]), int(numeric[1]))
        if named and named[2][:3] in _MONTHS:
            return dt.date(int(named[3]), _MONTHS[named[2][:3]], int(named[1]))
    except ValueError:
        return None
    return None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def uk_date_text(value: object) -> str:
    day = words.parse_date(value)
    return day.strftime("%d/%m/%Y") if day else ""


def _restyle(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _mark(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", "true" if invalid else "false")
    _restyle(widget)


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.hide()
    return label


@dataclass
class _PersonRow:
    member_id: str
    notes: str
    name: QLineEdit
    relationship: QComboBox
    dob: QLineEdit
    lives: QCheckBox
    remove: QPushButton
    error: QLabel
    widgets: list[QWidget] = field(default_factory=list)


@dataclass
class _AgencyRow:
    name: QLineEdit
    role: QLineEdit
    contact: QLineEdit
    remove: QPushButton
    error: QLabel
    widgets: list[QWidget] = field(default_factory=list)


class CaseEditor(QDialog):
    """Create a case (`case_id=None`) or edit one. `saved(case_id)` is emitted once it is stored."""

    saved = Signal(int)

    def __init__(self, ws: Any, case_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.case_id = case_id
        self.case = ws.store.get_case(case_id) if case_id is not None else None
        self.people: list[_PersonRow] = []
        self.agencies: list[_AgencyRow] = []
        self.setObjectName("CaseEditor")
        self.setWindowTitle("New case" if case_id is None else f"Edit case {self.case['reference']}")
        self.setModal(True)
        self.resize(900, 780)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(MarkingBar(bool(ws.training)))

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("Page")
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.scroll = scroll
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(14)

        title = QLabel("New case" if case_id is None else "Edit case")
        title.setProperty("role", "title")
        layout.addWidget(title)

        layout.addWidget(self._child_section())
        layout.addWidget(self._household_section())
        layout.addWidget(self._agencies_section())
        layout.addStretch(1)

        footer = QWidget()
        footer_layout = QHBoxLayout(footer)
        footer_layout.setContentsMargins(24, 10, 24, 14)
        self.summary_label = _error_label("Problems to correct before saving")
        footer_layout.addWidget(self.summary_label, 1)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            "Create case" if case_id is None else "Save changes", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("primary", "true")
        self.save_button.setAccessibleName("Save the case")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.cancel_button = buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setAccessibleName("Cancel without saving")
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        footer_layout.addWidget(buttons)
        outer.addWidget(footer)

        self._load()
        self._update_born()
        self._update_men_note()
        self._initial = self._snapshot()
        self.discard_box: QMessageBox | None = None
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.activated.connect(self.save)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.reference_edit.setFocus()

    # -- sections -----------------------------------------------------------------------------------
    def _card(self, heading: str, intro: str | None = None) -> tuple[QFrame, QVBoxLayout]:
        card = QFrame()
        card.setProperty("role", "card")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(8)
        label = QLabel(heading)
        label.setProperty("role", "heading")
        layout.addWidget(label)
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            text.setProperty("role", "muted")
            layout.addWidget(text)
        return card, layout

    def _field(self, grid: QGridLayout, row: int, label: str, widget: QWidget, error: QLabel | None = None,
               hint: str | None = None) -> None:
        caption = QLabel(label)
        caption.setContentsMargins(0, 7, 0, 0)  # line up with the text inside the field
        caption.setBuddy(widget)
        grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        column = QVBoxLayout()
        column.setSpacing(3)
        column.addWidget(widget)
        if hint:
            note = QLabel(hint)
            note.setProperty("role", "muted")
            note.setWordWrap(True)
            column.addWidget(note)
        if error is not None:
            column.addWidget(error)
        grid.addLayout(column, row, 1)

    def _child_section(self) -> QWidget:
        card, layout = self._card("The child")
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)

        self.reference_edit = QLineEdit()
        self.reference_edit.setAccessibleName("Case reference")
        self.reference_edit.setPlaceholderText("Your record system's reference, e.g. HV-20461")
        self.reference_edit.setMaxLength(100)
        self.reference_error = _error_label("Problem with the case reference")
        self._field(grid, 0, "&Case reference", self.reference_edit, self.reference_error)

        self.child_edit = QLineEdit()
        self.child_edit.setAccessibleName("Child's name or initials")
        self.child_edit.setPlaceholderText("Name or initials, e.g. Baby K or A.M.")
        self.child_edit.setMaxLength(200)
        self.child_error = _error_label("Problem with the child's name")
        self._field(grid, 1, "Child's &name or initials", self.child_edit, self.child_error)

        born_box = QWidget()
        born_layout = QHBoxLayout(born_box)
        born_layout.setContentsMargins(0, 0, 0, 0)
        self.born_radio = QRadioButton("Born")
        self.born_radio.setAccessibleName("The child is born")
        self.unborn_radio = QRadioButton("Not yet born")
        self.unborn_radio.setAccessibleName("The baby is not yet born")
        self.born_group = QButtonGroup(self)
        self.born_group.addButton(self.born_radio)
        self.born_group.addButton(self.unborn_radio)
        self.born_radio.setChecked(True)
        born_layout.addWidget(self.born_radio)
        born_layout.addWidget(self.unborn_radio)
        born_layout.addStretch(1)
        self._field(grid, 2, "The child is", born_box)

        self.date_caption = QLabel()
        self.date_caption.setContentsMargins(0, 7, 0, 0)
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText(DATE_HINT)
        self.date_edit.setMaximumWidth(260)
        self.date_caption.setBuddy(self.date_edit)
        self.date_error = _error_label("Problem with the date")
        grid.addWidget(self.date_caption, 3, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        date_column = QVBoxLayout()
        date_column.setSpacing(3)
        date_column.addWidget(self.date_edit)
        date_column.addWidget(self.date_error)
        grid.addLayout(date_column, 3, 1)

        self.mobility_combo = QComboBox()
        self.mobility_combo.setAccessibleName("What the child can do on their own (mobility)")
        self.mobility_combo.addItem("Not recorded", None)
        for value in MOBILITY:
            self.mobility_combo.addItem(words.MOBILITY_LABELS[value], value)
        self._field(grid, 4, "&Mobility", self.mobility_combo,
                    hint="Babies who only roll over count as not independently mobile.")

        self.plan_combo = QComboBox()
        self.plan_combo.setAccessibleName("Plan")
        for value in PLANS:
            self.plan_combo.addItem(words.PLAN_LABELS[value], value)
        self._field(grid, 5, "&Plan", self.plan_combo)
        layout.addLayout(grid)

        self.born_radio.toggled.connect(self._update_born)
        self.reference_edit.textEdited.connect(lambda: self._clear(self.reference_edit, self.reference_error))
        self.child_edit.textEdited.connect(lambda: self._clear(self.child_edit, self.child_error))
        self.date_edit.textEdited.connect(lambda: self._clear(self.date_edit, self.date_error))
        return card

    def _household_section(self) -> QWidget:
        card, layout = self._card(
            "Household and family",
            "Everyone who lives with the child, stays there or cares for them, and other children in the home.",
        )
        self.men_note = QLabel(INVISIBLE_MEN_NOTE)
        self.men_note.setObjectName("InvisibleMenNote")
        self.men_note.setProperty("role", "note")
        self.men_note.setWordWrap(True)
        self.men_note.setAccessibleName("Why record fathers and male carers")
        layout.addWidget(self.men_note)
        self.no_men_label = QLabel(NO_MEN_NOTE)
        self.no_men_label.setObjectName("NoMenNote")
        self.no_men_label.setWordWrap(True)
        self.no_men_label.setProperty("role", "muted")
        layout.addWidget(self.no_men_label)

        self.people_grid = QGridLayout()
        self.people_grid.setHorizontalSpacing(10)
        self.people_grid.setVerticalSpacing(6)
        self.people_grid.setColumnStretch(0, 3)
        self.people_grid.setColumnStretch(1, 2)
        self.people_grid.setColumnStretch(2, 1)
        self.people_headings: list[QLabel] = []
        for column, heading in enumerate(("Name", "Relationship to the child", "Date of birth", "Lives with child", "")):
            label = QLabel(heading)
            label.setProperty("role", "subheading")
            self.people_grid.addWidget(label, 0, column)
            self.people_headings.append(label)
        layout.addLayout(self.people_grid)
        self.people_empty = QLabel("No one recorded yet.")
        self.people_empty.setProperty("role", "muted")
        layout.addWidget(self.people_empty)
        self.add_person_button = QPushButton(theme.icon("new"), "Add person")
        self.add_person_button.setAccessibleName("Add a person to the household")
        self.add_person_button.setAutoDefault(False)
        self.add_person_button.clicked.connect(lambda: self.add_person(focus=True))
        row = QHBoxLayout()
        row.addWidget(self.add_person_button)
        row.addStretch(1)
        layout.addLayout(row)
        return card

    def _agencies_section(self) -> QWidget:
        card, layout = self._card("Agencies involved", "Who else is working with the family, and how to reach them.")
        self.agency_grid = QGridLayout()
        self.agency_grid.setHorizontalSpacing(10)
        self.agency_grid.setVerticalSpacing(6)
        self.agency_grid.setColumnStretch(0, 2)
        self.agency_grid.setColumnStretch(1, 2)
        self.agency_grid.setColumnStretch(2, 3)
        self.agency_headings: list[QLabel] = []
        for column, heading in enumerate(("Agency or service", "Role or worker", "Contact", "")):
            label = QLabel(heading)
            label.setProperty("role", "subheading")
            self.agency_grid.addWidget(label, 0, column)
            self.agency_headings.append(label)
        layout.addLayout(self.agency_grid)
        self.agencies_empty = QLabel("No agencies recorded yet.")
        self.agencies_empty.setProperty("role", "muted")
        layout.addWidget(self.agencies_empty)
        self.add_agency_button = QPushButton(theme.icon("new"), "Add agency")
        self.add_agency_button.setAccessibleName("Add an agency")
        self.add_agency_button.setAutoDefault(False)
        self.add_agency_button.clicked.connect(lambda: self.add_agency(focus=True))
        row = QHBoxLayout()
        row.addWidget(self.add_agency_button)
        row.addStretch(1)
        layout.addLayout(row)
        return card

    # -- rows ---------------------------------------------------------------------------------------
    def add_person(self, member: dict | None = None, focus: bool = False) -> _PersonRow:
        """Add a row for a person (blank, or filled from a stored household member)."""
        member = member or {}
        number = len(self.people) + 1
        name = QLineEdit(member.get("name", ""))
        name.setMaxLength(200)
        name.setPlaceholderText("Name")
        relationship = QComboBox()
        relationship.addItem("Choose…", None)
        for value in RELATIONSHIPS:
            relationship.addItem(words.RELATIONSHIP_LABELS[value], value)
        if member.get("relationship"):
            relationship.setCurrentIndex(max(0, relationship.findData(member["relationship"])))
        dob = QLineEdit(uk_date_text(member.get("date_of_birth")))
        dob.setPlaceholderText("dd/mm/yyyy")
        lives = QCheckBox("Yes")
        lives.setChecked(bool(member.get("lives_with_child", True)))
        remove = QPushButton(theme.icon("close"), "")
        remove.setAutoDefault(False)
        remove.setToolTip("Remove this person")
        remove.setFixedWidth(remove.sizeHint().height() + 8)
        error = _error_label(f"Problem with person {number}")
        row = _PersonRow(str(member.get("id") or ""), member.get("notes", "") or "", name, relationship, dob, lives,
                         remove, error, [name, relationship, dob, lives, remove, error])
        self.people.append(row)
        remove.clicked.connect(lambda: self.remove_person(row))
        relationship.currentIndexChanged.connect(self._update_men_note)
        for widget in (name, dob):
            widget.textEdited.connect(lambda _t, r=row: self._clear_row(r))
        relationship.currentIndexChanged.connect(lambda _i, r=row: self._clear_row(r))
        self._layout_people()
        if focus:
            name.setFocus()
        return row

    def remove_person(self, row: _PersonRow) -> None:
        self.people.remove(row)
        for widget in row.widgets:
            self.people_grid.removeWidget(widget)
            widget.deleteLater()
        self._layout_people()
        self._update_men_note()
        self.add_person_button.setFocus()

    def _layout_people(self) -> None:
        for index, row in enumerate(self.people):
            grid_row = 1 + index * 2
            number = index + 1
            row.name.setAccessibleName(f"Person {number} name")
            row.relationship.setAccessibleName(f"Person {number} relationship to the child")
            row.dob.setAccessibleName(f"Person {number} date of birth")
            row.lives.setAccessibleName(f"Person {number} lives with the child")
            row.remove.setAccessibleName(f"Remove person {number}")
            row.error.setAccessibleName(f"Problem with person {number}")
            self.people_grid.addWidget(row.name, grid_row, 0)
            self.people_grid.addWidget(row.relationship, grid_row, 1)
            self.people_grid.addWidget(row.dob, grid_row, 2)
            self.people_grid.addWidget(row.lives, grid_row, 3)
            self.people_grid.addWidget(row.remove, grid_row, 4)
            self.people_grid.addWidget(row.error, grid_row + 1, 0, 1, 5)
        self.people_empty.setVisible(not self.people)
        for heading in self.people_headings:
            heading.setVisible(bool(self.people))
        self._fix_tab_order()

    def add_agency(self, agency: dict | None = None, focus: bool = False) -> _AgencyRow:
        """Add a row for an agency (blank, or filled from a stored one)."""
        agency = agency or {}
        name = QLineEdit(agency.get("name", ""))
        name.setPlaceholderText("e.g. GP, midwifery, children's social care")
        name.setMaxLength(200)
        role = QLineEdit(agency.get("role", ""))
        role.setPlaceholderText("e.g. Named midwife, Dr Shah")
        role.setMaxLength(200)
        contact = QLineEdit(agency.get("contact", ""))
        contact.setPlaceholderText("Phone or secure email")
        contact.setMaxLength(500)
        remove = QPushButton(theme.icon("close"), "")
        remove.setAutoDefault(False)
        remove.setToolTip("Remove this agency")
        remove.setFixedWidth(remove.sizeHint().height() + 8)
        error = _error_label("Problem with an agency")
        row = _AgencyRow(name, role, contact, remove, error, [name, role, contact, remove, error])
        self.agencies.append(row)
        remove.clicked.connect(lambda: self.remove_agency(row))
        for widget in (name, role, contact):
            widget.textEdited.connect(lambda _t, r=row: (r.error.hide(), _mark(r.name, False)))
        self._layout_agencies()
        if focus:
            name.setFocus()
        return row

    def remove_agency(self, row: _AgencyRow) -> None:
        self.agencies.remove(row)
        for widget in row.widgets:
            self.agency_grid.removeWidget(widget)
            widget.deleteLater()
        self._layout_agencies()
        self.add_agency_button.setFocus()

    def _layout_agencies(self) -> None:
        for index, row in enumerate(self.agencies):
            grid_row = 1 + index * 2
            number = index + 1
            row.name.setAccessibleName(f"Agency {number} name")
            row.role.setAccessibleName(f"Agency {number} role or worker")
            row.contact.setAccessibleName(f"Agency {number} contact details")
            row.remove.setAccessibleName(f"Remove agency {number}")
            row.error.setAccessibleName(f"Problem with agency {number}")
            self.agency_grid.addWidget(row.name, grid_row, 0)
            self.agency_grid.addWidget(row.role, grid_row, 1)
            self.agency_grid.addWidget(row.contact, grid_row, 2)
            self.agency_grid.addWidget(row.remove, grid_row, 3)
            self.agency_grid.addWidget(row.error, grid_row + 1, 0, 1, 4)
        self.agencies_empty.setVisible(not self.agencies)
        for heading in self.agency_headings:
            heading.setVisible(bool(self.agencies))
        self._fix_tab_order()

    def _fix_tab_order(self) -> None:
        chain: list[QWidget] = [self.reference_edit, self.child_edit, self.born_radio, self.unborn_radio,
                                self.date_edit, self.mobility_combo, self.plan_combo]
        for p in self.people:
            chain += [p.name, p.relationship, p.dob, p.lives, p.remove]
        chain.append(self.add_person_button)
        for a in self.agencies:
            chain += [a.name, a.role, a.contact, a.remove]
        chain += [self.add_agency_button, self.save_button, self.cancel_button] if hasattr(self, "save_button") \
            else [self.add_agency_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # -- state --------------------------------------------------------------------------------------
    def _load(self) -> None:
        case = self.case
        if case is None:
            self._layout_people()
            self._layout_agencies()
            return
        self.reference_edit.setText(case.get("reference") or "")
        self.child_edit.setText(case.get("child_name") or "")
        if not case.get("date_of_birth") and case.get("expected_delivery_date"):
            self.unborn_radio.setChecked(True)
            self.date_edit.setText(uk_date_text(case["expected_delivery_date"]))
        else:
            self.born_radio.setChecked(True)
            self.date_edit.setText(uk_date_text(case.get("date_of_birth")))
        self.mobility_combo.setCurrentIndex(max(0, self.mobility_combo.findData(case.get("mobility"))))
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(case.get("plan") or "none")))
        for member in case.get("household") or []:
            self.add_person(member)
        for agency in case.get("agencies") or []:
            self.add_agency(agency)
        self._layout_people()
        self._layout_agencies()

    def _update_born(self, *_args: object) -> None:
        born = self.born_radio.isChecked()
        self.date_caption.setText("&Date of birth" if born else "Expected &delivery date")
        self.date_edit.setAccessibleName("Date of birth" if born else "Expected delivery date")
        self.mobility_combo.setEnabled(born)
        self._clear(self.date_edit, self.date_error)

    def _update_men_note(self, *_args: object) -> None:
        has_man = any(p.relationship.currentData() in MALE_CARERS for p in self.people)
        self.no_men_label.setVisible(not has_man)

    def _clear(self, widget: QWidget, error: QLabel) -> None:
        error.hide()
        _mark(widget, False)

    def _clear_row(self, row: _PersonRow) -> None:
        row.error.hide()
        for widget in (row.name, row.relationship, row.dob):
            _mark(widget, False)

    # -- saving -------------------------------------------------------------------------------------
    def collect(self) -> tuple[dict[str, Any], list[tuple[QWidget, QLabel, str]]]:
        """The case as the service takes it, and the problems found: (widget, its error label, message)."""
        problems: list[tuple[QWidget, QLabel, str]] = []
        today = self.ws.today()
        reference = self.reference_edit.text().strip()
        if not reference:
            problems.append((self.reference_edit, self.reference_error, "Enter the case reference."))
        child = self.child_edit.text().strip()
        if not child:
            problems.append((self.child_edit, self.child_error, "Enter the child's name or initials."))

        born = self.born_radio.isChecked()
        date_text = self.date_edit.text().strip()
        day = parse_uk_date(date_text)
        what = "date of birth" if born else "expected delivery date"
        if not date_text:
            message = (f"Enter the {what}, as {DATE_HINT}." if born else
                       f"Enter the expected delivery date, as {DATE_HINT}.")
            problems.append((self.date_edit, self.date_error, message))
        elif day is None:
            problems.append((self.date_edit, self.date_error,
                             f"“{date_text}” is not a date. Enter the {what} as {DATE_HINT}."))
        elif born and day > today:
            problems.append((self.date_edit, self.date_error,
                             "The date of birth is in the future. If the baby is not yet born, choose "
                             "“Not yet born” and enter the expected delivery date."))
        elif born and day <= _years_before(today, 18):
            problems.append((self.date_edit, self.date_error,
                             "That date of birth makes the child 18 or over. Check the year."))
        elif not born and day < today - dt.timedelta(days=21):
            problems.append((self.date_edit, self.date_error,
                             "The expected delivery date is more than three weeks ago. If the baby has been "
                             "born, choose “Born” and enter the date of birth."))
        elif not born and day > today + dt.timedelta(days=294):
            problems.append((self.date_edit, self.date_error,
                             "The expected delivery date is more than 42 weeks away. Check the year."))

        household: list[dict[str, Any]] = []
        for number, row in enumerate(self.people, start=1):
            name = row.name.text().strip()
            relationship = row.relationship.currentData()
            dob_text = row.dob.text().strip()
            if not name and relationship is None and not dob_text:
                continue  # a blank row is ignored
            messages = []
            if not name:
                messages.append(("name", "enter a name (or “not known” and what is known about them)"))
            if relationship is None:
                messages.append(("relationship", "choose their relationship to the child"))
            dob = parse_uk_date(dob_text) if dob_text else None
            if dob_text and dob is None:
                messages.append(("dob", f"“{dob_text}” is not a date: use {DATE_HINT}, or leave it blank"))
            elif dob is not None and dob > today:
                messages.append(("dob", "the date of birth is in the future"))
            if messages:
                widget = {"name": row.name, "relationship": row.relationship, "dob": row.dob}
                for key, _m in messages:
                    _mark(widget[key], True)
                text = f"Person {number}: " + "; ".join(m for _k, m in messages) + "."
                problems.append((widget[messages[0][0]], row.error, text))
                continue
            member: dict[str, Any] = {
                "name": name,
                "relationship": relationship,
                "date_of_birth": dob.isoformat() if dob else None,
                "lives_with_child": row.lives.isChecked(),
                "notes": row.notes,
            }
            if row.member_id:
                member["id"] = row.member_id
            household.append(member)

        agencies: list[dict[str, str]] = []
        for number, row in enumerate(self.agencies, start=1):
            name, role, contact = (row.name.text().strip(), row.role.text().strip(), row.contact.text().strip())
            if not (name or role or contact):
                continue
            if not name:
                problems.append((row.name, row.error, f"Agency {number}: enter the agency or service's name."))
                continue
            agencies.append({"name": name, "role": role, "contact": contact})

        data: dict[str, Any] = {
            "reference": reference,
            "child_name": child,
            "date_of_birth": day.isoformat() if (born and day) else None,
            "expected_delivery_date": day.isoformat() if (not born and day) else None,
            "mobility": self.mobility_combo.currentData() if born else None,
            "plan": self.plan_combo.currentData() or "none",
            "household": household,
            "agencies": agencies,
        }
        return data, problems

    def _snapshot(self) -> tuple:
        """Everything typed or chosen, to tell whether closing would lose anything."""
        people = tuple((p.name.text(), p.relationship.currentIndex(), p.dob.text(), p.lives.isChecked())
                       for p in self.people)
        agencies = tuple((a.name.text(), a.role.text(), a.contact.text()) for a in self.agencies)
        return (self.reference_edit.text(), self.child_edit.text(), self.born_radio.isChecked(),
                self.date_edit.text(), self.mobility_combo.currentIndex(), self.plan_combo.currentIndex(),
                people, agencies)

    def has_changes(self) -> bool:
        return self._snapshot() != self._initial

    def reject(self) -> None:
        """Cancel or Escape: close at once if nothing was typed, otherwise ask first."""
        if not self.has_changes():
            super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Close without saving?",
                          "You have typed details that are not saved. Close without saving them?",
                          QMessageBox.StandardButton.NoButton, self)
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        discard = box.addButton("Close without saving", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        discard.clicked.connect(lambda: QDialog.reject(self))
        self.discard_box = box
        box.open()

    def save(self) -> None:
        """Check what was typed; save it through the workspace, or show what to correct."""
        for label in [self.reference_error, self.child_error, self.date_error] + \
                [p.error for p in self.people] + [a.error for a in self.agencies]:
            label.hide()
        self.summary_label.hide()
        data, problems = self.collect()
        if problems:
            for widget, label, message in problems:
                label.setText(message)
                label.show()
                _mark(widget, True)
            count = len(problems)
            self.summary_label.setText(
                "Correct the problem shown above to save the case." if count == 1 else
                f"Correct the {count} problems shown above to save the case.")
            self.summary_label.show()
            first = problems[0][0]
            self.scroll.ensureWidgetVisible(first)
            first.setFocus()
            return
        try:
            if self.case_id is None:
                self.case_id = self.ws.create_case(data)
            else:
                self.ws.update_case(self.case_id, data)
        except DuplicateCase as exc:
            self._field_problem(self.reference_edit, self.reference_error, exc.user_message +
                                " Use a different reference, or open the existing case from the case list.")
            return
        except (InvalidRecord, ServiceError) as exc:
            self.summary_label.setText(exc.user_message)
            self.summary_label.show()
            return
        except StoreError as exc:
            show_error(self, exc, "The case has not been saved. What you typed is still here.")
            return
        self.saved.emit(self.case_id)
        self.accept()

    def _field_problem(self, widget: QWidget, label: QLabel, message: str) -> None:
        label.setText(message)
        label.show()
        _mark(widget, True)
        self.scroll.ensureWidgetVisible(widget)
        widget.setFocus()
        self.summary_label.setText("Correct the problem shown above to save the case.")
        self.summary_label.show()

