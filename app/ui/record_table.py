"""The set-up the record lists share (cases, my checklists, the review queue).

`record_table(model, ...)` is a read-only QTableView over a paged model (app.ui.paged_table_model):
whole rows, one at a time, sorted by the store with the header showing the model's current order, and
columns the user can resize. Each view then sets its own widths and stretch. `empty_label()` is the
words shown in its place when nothing matches.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView


def record_table(model: Any, object_name: str, accessible_name: str, *, word_wrap: bool = False) -> QTableView:
    table = QTableView()
    table.setObjectName(object_name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(word_wrap)
    table.verticalHeader().hide()
    table.setTabKeyNavigation(False)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    column, order = model.sort_state()
    header.setSortIndicator(column, order)
    table.setSortingEnabled(True)
    return table


def empty_label() -> QLabel:
    label = QLabel()
    label.setProperty("role", "empty")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label
