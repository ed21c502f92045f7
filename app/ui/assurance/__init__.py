"""The assurance dashboard for supervisors: partnership figures for a period and team, with CSV and PDF export."""
from app.ui.assurance.page import AssurancePage

__all__ = ["AssurancePage"]
