"""The checklist walk-through: one section per step, live flags, and check-and-submit.

    from app.ui.walkthrough import WalkthroughView
    view = WalkthroughView(session)          # session: app.services.RunSession
    view.closed.connect(...)                 # the practitioner closed it (all answers already saved)
    view.submitted.connect(...)              # submitted for review: emits the run id
"""
from app.ui.walkthrough.view import WalkthroughView

__all__ = ["WalkthroughView"]
