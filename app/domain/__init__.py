"""Pure-Python core: the checklist model, conditions, case facts, evaluation, settings and the
vague-language check. Imports nothing from the other app layers and never touches Qt, SQL or PDFs."""
