"""The desktop app (PySide6): windows, item models, views, dialogs and workers.

The only package that imports Qt. Every change of data goes through `app.services`; item models may
read through the store's list and count methods.
"""
